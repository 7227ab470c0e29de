/**
 * Micrometer meters for connections, bytes, messages and exchanges.
 */
@NullMarked
package dev.socketgateway.metrics;

import org.jspecify.annotations.NullMarked;
