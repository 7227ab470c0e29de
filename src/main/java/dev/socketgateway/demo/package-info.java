/**
 * Demo-profile echo services on loopback.
 */
@NullMarked
package dev.socketgateway.demo;

import org.jspecify.annotations.NullMarked;
