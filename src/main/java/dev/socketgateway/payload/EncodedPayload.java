package dev.socketgateway.payload;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Bytes rendered as a string, with the encoding actually used.
 *
 * @param payload the rendered bytes
 * @param encoding the encoding of {@code payload}; {@code base64} when utf8 was asked for
 * bytes that are not valid UTF-8
 */
@Schema(description = "A message rendered in an encoding")
public record EncodedPayload(@Schema(description = "The message without framing, in `encoding`") String payload,
		@Schema(description = "utf8, hex or base64; base64 when utf8 was asked for bytes that are not valid UTF-8") Encoding encoding) {

}
