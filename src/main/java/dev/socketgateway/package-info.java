/**
 * socket-gateway: an HTTP/JSON front door to raw TCP and UDP sockets.
 */
@NullMarked
package dev.socketgateway;

import org.jspecify.annotations.NullMarked;
