/**
 * TCP and UDP listeners that capture or echo what clients send.
 */
@NullMarked
package dev.socketgateway.listener;

import org.jspecify.annotations.NullMarked;
