package dev.socketgateway.listener;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import dev.socketgateway.egress.TargetRequest;
import dev.socketgateway.listener.rules.DefaultResponse;
import dev.socketgateway.listener.rules.RuleSpec;
import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.egress.Protocol;

/**
 * Request and response bodies of {@code /api/v1/listeners}.
 */
public final class ListenerApi {

	private ListenerApi() {
	}

	public record CreateRequest(@Schema(description = "tcp or udp") @NotNull Protocol protocol,
			@Schema(description = "port to bind; 0 = any free port") @Min(0) @Max(65535) @Nullable Integer port,
			@Schema(description = "address to bind (default 127.0.0.1)") @Nullable String bindAddress,
			@Schema(description = "TCP message framing (default crlf)") @Nullable Framing framing,
			@Schema(description = "capture (default), echo, rules or proxy") @Nullable ListenerMode mode,
			@Schema(description = "utf8 text sent, with the framing, to each TCP client on accept") @Nullable String greeting,
			@Schema(description = "serve TLS with gateway.tls.server-bundle (TCP only)") @Nullable Boolean tls,
			@Schema(description = "rules mode: first match wins") @Size(
					max = MAX_RULES) @Nullable List<@Valid @NotNull RuleSpec> rules,
			@Schema(description = "rules mode: the answer when no rule matches (absent: no answer)") @Valid @Nullable DefaultResponse defaultResponse,
			@Schema(description = "proxy mode: target, or host and port, through the egress policy") @Valid @Nullable TargetRequest upstream,
			@Schema(description = "TCP: framing of what the listener writes (greeting, echoes, answers, sends) when it differs from framing (default: framing)") @Nullable Framing sendFraming,
			@Schema(description = "TCP with raw framing: quiet time in ms that ends a received message (default 50); ignored otherwise") @Min(1) @Max(60000) @Nullable Integer idleMs) {
	}

	/** Most rules of one listener. */
	static final int MAX_RULES = 1000;

	record RecordingView(@Schema(description = "rules that replay the upstream's answers") List<RuleSpec> rules,
			@Schema(description = "the upstream's greeting, when it spoke first with one utf8 frame") @Nullable String greeting,
			@Schema(description = "whether client frames were left out because the recording was full") boolean truncated) {
	}

	public record ListenerView(@Schema(description = "opaque listener id") String id,
			@Schema(description = "tcp or udp") String protocol,
			@Schema(description = "bound address") String bindAddress,
			@Schema(description = "the port actually bound") int port,
			@Schema(description = "capture, echo, rules or proxy") ListenerMode mode,
			@Schema(description = "TCP framing; null for udp") @Nullable Framing framing,
			@Schema(description = "TCP: framing of writes when it differs from framing, else null") @Nullable Framing sendFraming,
			@Schema(description = "TCP with raw framing: quiet time in ms that ends a received message; else null") @Nullable Integer idleMs,
			@Schema(description = "TCP: connected clients; UDP: distinct senders seen") int clients,
			@Schema(description = "when it started, RFC 3339 UTC") String openedAt,
			@Schema(description = "open or closed") String state) {
	}

	public record ListenerPage(@Schema(description = "listeners in creation order") List<ListenerView> listeners,
			@Schema(description = "cursor of the next page, or null") @Nullable String next) {
	}

	public record MessageView(@Schema(description = "sequence number, from 1 per listener") long seq,
			@Schema(description = "arrival time, RFC 3339 UTC") String at,
			@Schema(description = "sender, ip:port") @Nullable String from,
			@Schema(description = "the TCP client's connection id; null for udp") @Nullable String connectionId,
			@Schema(description = "the message") String payload,
			@Schema(description = "encoding of payload") Encoding encoding,
			@Schema(description = "rules mode: index of the rule that answered, null when none did") @Nullable Integer rule) {
	}

	public record MessagePage(
			@Schema(description = "messages with seq > after, oldest first") List<MessageView> messages,
			@Schema(description = "pass back as after") long next,
			@Schema(description = "messages after `after` evicted by a full buffer") long dropped) {
	}

	public record SendRequest(
			@Schema(description = "a TCP connectionId, or the ip:port of a UDP sender") @NotBlank String to,
			@Schema(description = "the message") @NotNull String payload,
			@Schema(description = "payload encoding (default utf8)") @Nullable Encoding encoding,
			@Schema(description = "TCP: close this client once the bytes are written (HTTP/1.0 and other close-delimited replies); default false") @Nullable Boolean close) {
	}

	public record Sent(@Schema(description = "wire bytes written, framing included") long bytesSent) {
	}

}
