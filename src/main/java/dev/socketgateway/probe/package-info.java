/**
 * Probes: conversations on a schedule with meters and a run history, and the
 * blackbox_exporter-compatible {@code /probe} endpoint on the management port.
 */
@NullMarked
package dev.socketgateway.probe;

import org.jspecify.annotations.NullMarked;
