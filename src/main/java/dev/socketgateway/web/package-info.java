/**
 * HTTP concerns: problem details, request ids and API-key security.
 */
@NullMarked
package dev.socketgateway.web;

import org.jspecify.annotations.NullMarked;
