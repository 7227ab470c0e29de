/**
 * Conversations: several send and expect steps over one TCP or UDP connection in one
 * call.
 */
@NullMarked
package dev.socketgateway.conversation;

import org.jspecify.annotations.NullMarked;
