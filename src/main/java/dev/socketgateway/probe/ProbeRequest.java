package dev.socketgateway.probe;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import dev.socketgateway.conversation.ConversationRequest;
import dev.socketgateway.conversation.ConversationStep;
import dev.socketgateway.egress.Protocol;
import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Framing;

/**
 * A probe defined at run time: a name, an interval and a conversation.
 *
 * @param name unique name (letters, digits, {@code . _ -})
 * @param interval how often it runs ({@code 30s} by default)
 * @param protocol tcp or udp
 * @param target a named target
 * @param host an ad-hoc host
 * @param port an ad-hoc port
 * @param framing the framing
 * @param sendFraming the framing of sends
 * @param tls connect with TLS
 * @param encoding the steps' default encoding
 * @param connectTimeoutMs connect timeout
 * @param timeoutMs conversation deadline
 * @param vars initial variables
 * @param steps the steps
 */
@Schema(description = "A probe: a conversation run on an interval")
public record ProbeRequest(@Schema(description = "Unique name", example = "smtp") @Nullable String name,
		@Schema(description = "How often it runs: 500ms, 30s, 2m... (default 30s)") @Nullable String interval,
		@Schema(description = "tcp or udp") @Nullable Protocol protocol,
		@Schema(description = "a named target") @Nullable String target,
		@Schema(description = "an ad-hoc host") @Nullable String host,
		@Schema(description = "an ad-hoc port") @Nullable Integer port,
		@Schema(description = "the framing") @Nullable Framing framing,
		@Schema(description = "the framing of sends") @Nullable Framing sendFraming,
		@Schema(description = "connect with TLS") @Nullable Boolean tls,
		@Schema(description = "the steps' default encoding") @Nullable Encoding encoding,
		@Schema(description = "connect timeout") @Nullable Integer connectTimeoutMs,
		@Schema(description = "conversation deadline") @Nullable Integer timeoutMs,
		@Schema(description = "initial variables") @Nullable Map<String, String> vars,
		@Schema(description = "the steps") @Nullable List<ConversationStep> steps) {

	ConversationRequest conversation() {
		return new ConversationRequest(this.protocol, this.target, this.host, this.port, this.framing, this.sendFraming,
				this.tls, this.encoding, this.connectTimeoutMs, this.timeoutMs, this.vars, this.steps);
	}

}
