package dev.socketgateway.session;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Framing;

/**
 * Request and response bodies of {@code /api/v1/tcp/connections}.
 */
public final class SessionApi {

	private SessionApi() {
	}

	public record OpenRequest(@Schema(description = "ad-hoc host name or IP literal") @Nullable String host,
			@Schema(description = "ad-hoc port") @Min(1) @Max(65535) @Nullable Integer port,
			@Schema(description = "a configured target's name, instead of host and port") @Nullable String target,
			@Schema(description = "message framing (default crlf, or the target's)") @Nullable Framing framing,
			@Schema(description = "connect with TLS") @Nullable Boolean tls,
			@Schema(description = "connect timeout in ms (default gateway.timeouts.connect)") @Min(1) @Max(120000) @Nullable Integer connectTimeoutMs,
			@Schema(description = "close after this many ms without traffic (default gateway.limits.connection-idle-timeout)") @Min(1) @Nullable Long idleTimeoutMs,
			@Schema(description = "how payloads are written when it differs from framing (default: framing)") @Nullable Framing sendFraming,
			@Schema(description = "raw framing: quiet time in ms that ends a received message (default 50); ignored by other framings") @Min(1) @Max(60000) @Nullable Integer idleMs) {
	}

	public record SessionView(@Schema(description = "opaque session id") String id,
			@Schema(description = "peer address, ip:port") String remote,
			@Schema(description = "local address, ip:port") @Nullable String local,
			@Schema(description = "message framing") Framing framing,
			@Schema(description = "raw framing: quiet time in ms that ends a received message; null for other framings") @Nullable Integer idleMs,
			@Schema(description = "open or closed") String state,
			@Schema(description = "why it closed: deleted, peer-closed, reset, idle-timeout, frame-too-large, shutdown") @Nullable String closedReason,
			@Schema(description = "wire bytes written, framing included") long bytesSent,
			@Schema(description = "wire bytes read, framing included") long bytesReceived,
			@Schema(description = "messages written") long messagesSent,
			@Schema(description = "messages read") long messagesReceived,
			@Schema(description = "when it opened, RFC 3339 UTC") String openedAt,
			@Schema(description = "last send or receive, RFC 3339 UTC") String lastActivityAt) {
	}

	public record SessionPage(@Schema(description = "sessions in opening order") List<SessionView> connections,
			@Schema(description = "cursor of the next page, or null") @Nullable String next) {
	}

	public record SendRequest(@Schema(description = "the message") @NotNull String payload,
			@Schema(description = "payload encoding (default utf8)") @Nullable Encoding encoding,
			@Schema(description = "wait for the next received message (default false)") @Nullable Boolean awaitReply,
			@Schema(description = "reply deadline in ms (default gateway.timeouts.reply)") @Min(1) @Max(600000) @Nullable Integer replyTimeoutMs) {
	}

	public record Sent(@Schema(description = "sequence number of the sent message, from 1") long seq) {
	}

	public record Reply(@Schema(description = "sequence number of the received message") long seq,
			@Schema(description = "the reply") String payload,
			@Schema(description = "encoding of payload") Encoding encoding) {
	}

	public record SentWithReply(@Schema(description = "sequence number of the sent message") long seq,
			@Schema(description = "the first message received after the write") Reply reply,
			@Schema(description = "from write to reply, ms") long durationMs) {
	}

	public record MessageView(@Schema(description = "sequence number, from 1") long seq,
			@Schema(description = "arrival time, RFC 3339 UTC") String at,
			@Schema(description = "the message") String payload,
			@Schema(description = "encoding of payload") Encoding encoding) {
	}

	public record MessagePage(
			@Schema(description = "messages with seq > after, oldest first") List<MessageView> messages,
			@Schema(description = "pass back as after") long next,
			@Schema(description = "messages after `after` evicted by a full buffer") long dropped) {
	}

}
