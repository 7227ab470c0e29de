/**
 * Opening upstream TCP connections: connect with the request's timeout, the TLS handshake
 * against an SSL bundle's trust, and problem details that say which step failed and what
 * to check. One-shot exchanges and sessions both connect through here.
 */
@NullMarked
package dev.socketgateway.upstream;

import org.jspecify.annotations.NullMarked;
