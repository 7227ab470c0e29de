package dev.socketgateway.udp;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import dev.socketgateway.payload.Encoding;

/**
 * One UDP datagram to send.
 *
 * @param target a named udp target
 * @param host an ad-hoc host
 * @param port an ad-hoc port
 * @param payload the datagram's content (required; {@code ""} sends an empty datagram)
 * @param encoding the payload's encoding
 * @param awaitReply whether to wait for one reply datagram
 * @param replyTimeoutMs how long to wait for the reply
 * @param replyEncoding the reply's encoding
 */
@Schema(description = "A UDP datagram, fired or sent as a request that waits for one reply")
public record DatagramRequest(
		@Schema(description = "Name of a configured udp target", example = "echo-udp") @Nullable String target,
		@Schema(description = "Host name or IP literal of an ad-hoc target; must pass gateway.policy") @Nullable String host,
		@Schema(description = "Port of an ad-hoc target") @Nullable Integer port,
		@Schema(description = "The datagram's content (required)", example = "ping") @Nullable String payload,
		@Schema(description = "Encoding of payload: utf8 (default), hex or base64") @Nullable Encoding encoding,
		@Schema(description = "Wait for one reply datagram from the target's address and port (default false)") @Nullable Boolean awaitReply,
		@Schema(description = "How long to wait for the reply in ms (default 2000)") @Min(1) @Max(600_000) @Nullable Integer replyTimeoutMs,
		@Schema(description = "Encoding of the reply (default: the request's encoding)") @Nullable Encoding replyEncoding,
		@Schema(description = "Which sender's datagram is the reply: port (default: the target's address and port) or host (any port of the target's address, as TFTP answers from a new port)",
				allowableValues = {
						"port", "host" }) @Nullable String replyFrom){

	public DatagramRequest(@Nullable String target, @Nullable String host, @Nullable Integer port,
			@Nullable String payload, @Nullable Encoding encoding, @Nullable Boolean awaitReply,
			@Nullable Integer replyTimeoutMs, @Nullable Encoding replyEncoding) {
		this(target, host, port, payload, encoding, awaitReply, replyTimeoutMs, replyEncoding, null);
	}

}
