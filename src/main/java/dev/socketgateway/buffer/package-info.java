/**
 * What sessions and listeners receive: a ring buffer of messages per connection or
 * listener, and the server-sent event streams that follow one.
 */
@NullMarked
package dev.socketgateway.buffer;

import org.jspecify.annotations.NullMarked;
