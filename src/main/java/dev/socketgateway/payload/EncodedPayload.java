package dev.socketgateway.payload;

/**
 * Bytes rendered as a string, with the encoding actually used.
 *
 * @param payload the rendered bytes
 * @param encoding the encoding of {@code payload}; {@code base64} when utf8 was asked for
 * bytes that are not valid UTF-8
 */
public record EncodedPayload(String payload, Encoding encoding) {

}
