/**
 * Persistent TCP connections (sessions) with buffered received messages.
 */
@NullMarked
package dev.socketgateway.session;

import org.jspecify.annotations.NullMarked;
