/**
 * Listener rules: matching received frames, answering them by plan (frames, delays,
 * drips, close or reset), and turning a proxy's recording into rules that replay it.
 */
@NullMarked
package dev.socketgateway.listener.rules;

import org.jspecify.annotations.NullMarked;
