/**
 * Benchmark support, active only with profile {@code bench}.
 */
@NullMarked
package dev.socketgateway.bench;

import org.jspecify.annotations.NullMarked;
