/**
 * One-shot TCP exchanges: the request thread writes and reads a pooled (or fresh)
 * connection itself.
 */
@NullMarked
package dev.socketgateway.tcp;

import org.jspecify.annotations.NullMarked;
