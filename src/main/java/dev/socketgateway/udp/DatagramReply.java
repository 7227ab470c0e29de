package dev.socketgateway.udp;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.socketgateway.payload.Encoding;

/**
 * The answer to a datagram: what was sent, and the reply when one was awaited.
 *
 * @param bytesSent bytes of the datagram sent
 * @param reply the reply datagram, when awaited
 * @param durationMs time from send to reply, when awaited
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "What was sent, and the reply when one was awaited")
public record DatagramReply(@Schema(description = "Bytes of the datagram sent") long bytesSent,
		@Schema(description = "The reply datagram (only when awaitReply was true)") @Nullable Reply reply,
		@Schema(description = "Milliseconds from send to reply (only when awaitReply was true)") @Nullable Long durationMs) {

	/**
	 * A reply datagram.
	 *
	 * @param payload its content
	 * @param encoding the content's encoding
	 * @param from the sender, {@code ip:port}
	 */
	@Schema(description = "A reply datagram")
	public record Reply(@Schema(description = "The datagram's content, in `encoding`") String payload, @Schema(
			description = "utf8, hex or base64 (base64 when utf8 was asked for bytes that are not valid UTF-8)") Encoding encoding,
			@Schema(description = "The sender, ip:port; always the target's address and port",
					example = "127.0.0.1:9001") String from) {
	}

}
