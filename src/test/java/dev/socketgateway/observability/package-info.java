/**
 * Tests and test support for the Prometheus configuration, alert rules and Grafana
 * dashboard under {@code deploy/}.
 */
@NullMarked
package dev.socketgateway.observability;

import org.jspecify.annotations.NullMarked;
