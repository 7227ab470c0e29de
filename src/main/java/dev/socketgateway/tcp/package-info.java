/**
 * One-shot TCP exchanges over pooled Spring Integration connections.
 */
@NullMarked
package dev.socketgateway.tcp;

import org.jspecify.annotations.NullMarked;
