/**
 * UDP datagrams: fire-and-forget and request/reply.
 */
@NullMarked
package dev.socketgateway.udp;

import org.jspecify.annotations.NullMarked;
