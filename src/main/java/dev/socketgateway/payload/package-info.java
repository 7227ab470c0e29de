/**
 * Payload encodings (utf8, hex, base64) and TCP framing codecs.
 */
@NullMarked
package dev.socketgateway.payload;

import org.jspecify.annotations.NullMarked;
