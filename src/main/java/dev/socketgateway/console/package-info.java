/**
 * The web console: a static page at {@code /console} that drives the REST API from the
 * browser.
 */
@NullMarked
package dev.socketgateway.console;

import org.jspecify.annotations.NullMarked;
