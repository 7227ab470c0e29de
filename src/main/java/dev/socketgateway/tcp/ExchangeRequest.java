package dev.socketgateway.tcp;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Framing;

/**
 * A one-shot TCP exchange.
 *
 * @param target a named target (instead of host and port)
 * @param host an ad-hoc host
 * @param port an ad-hoc port
 * @param payload the message; absent to only read
 * @param encoding the payload's encoding
 * @param framing where a message ends on the wire
 * @param awaitReply whether to wait for a reply
 * @param replyEncoding the reply's encoding
 * @param connectTimeoutMs connect timeout
 * @param replyTimeoutMs absolute reply deadline
 * @param idleMs quiet time that ends a raw reply
 * @param maxReplyBytes most bytes of a raw reply
 * @param tls whether to use TLS
 * @param sendFraming how the payload is written when it differs from {@code framing}
 * @param pool whether a pooled connection may serve it
 */
@Schema(description = "A one-shot TCP exchange: connect (or reuse a pooled connection), send one message, read one reply.")
public record ExchangeRequest(
		@Schema(description = "Name of a configured target (gateway.targets.<name>); use instead of host and port",
				example = "echo-tcp") @Nullable String target,
		@Schema(description = "Host name or IP literal of an ad-hoc target; must pass gateway.policy",
				example = "127.0.0.1") @Nullable String host,
		@Schema(description = "Port of an ad-hoc target", example = "9000") @Nullable Integer port,
		@Schema(description = "The message to send, without framing. Absent: send nothing and only read (a server that speaks first). Empty string: send an empty frame.",
				example = "hello") @Nullable String payload,
		@Schema(description = "Encoding of payload: utf8 (default), hex (tolerant of spaces, ':', '-', 0x) or base64") @Nullable Encoding encoding,
		@Schema(description = "Framing on the wire (default crlf, or the named target's)") @Nullable Framing framing,
		@Schema(description = "Wait for a reply (default true); false answers once the bytes are written") @Nullable Boolean awaitReply,
		@Schema(description = "Encoding of the reply (default: the request's encoding)") @Nullable Encoding replyEncoding,
		@Schema(description = "Connect (and TLS handshake) timeout in ms, default 5000") @Min(1) @Max(120_000) @Nullable Integer connectTimeoutMs,
		@Schema(description = "Absolute deadline for the whole reply in ms, default 10000") @Min(1) @Max(600_000) @Nullable Integer replyTimeoutMs,
		@Schema(description = "raw framing: quiet time after the last byte that ends the reply, default 200 ms") @Min(1) @Max(600_000) @Nullable Integer idleMs,
		@Schema(description = "raw framing: most reply bytes (default and ceiling: gateway.limits.max-frame-bytes)") @Min(1) @Nullable Integer maxReplyBytes,
		@Schema(description = "Connect with TLS (default false; a named target's tls: true cannot be switched off)") @Nullable Boolean tls,
		@Schema(description = "Framing of what is sent when it differs from framing, e.g. raw to send a prepared packet (default: framing)") @Nullable Framing sendFraming,
		@Schema(description = "Use a pooled connection when the framing allows (default true); false: a fresh connection closed afterwards. A named target's pool: false cannot be switched on") @Nullable Boolean pool) {

}
