package dev.socketgateway.conversation;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import dev.socketgateway.egress.Protocol;
import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Framing;

/**
 * A conversation: a target and the steps to run over one connection to it.
 *
 * @param protocol tcp (default) or udp
 * @param target a named target (instead of host and port)
 * @param host an ad-hoc host
 * @param port an ad-hoc port
 * @param framing where a message ends on the wire (TCP)
 * @param sendFraming how sends are framed, when it differs
 * @param tls connect with TLS
 * @param encoding the steps' default encoding
 * @param connectTimeoutMs connect (and TLS handshake) timeout
 * @param timeoutMs deadline of the whole conversation
 * @param vars initial variables
 * @param steps 1 to 100 steps
 */
@Schema(description = "Several send/expect steps over one connection in one call")
public record ConversationRequest(@Schema(description = "tcp (default) or udp") @Nullable Protocol protocol,
		@Schema(description = "Name of a configured target; use instead of host and port",
				example = "echo-tcp") @Nullable String target,
		@Schema(description = "Host of an ad-hoc target; must pass gateway.policy",
				example = "127.0.0.1") @Nullable String host,
		@Schema(description = "Port of an ad-hoc target", example = "9000") @Nullable Integer port,
		@Schema(description = "Framing of received frames and sends (default crlf, or the named target's)") @Nullable Framing framing,
		@Schema(description = "Framing of sends when it differs from framing") @Nullable Framing sendFraming,
		@Schema(description = "Connect with TLS (a named target's tls: true cannot be switched off)") @Nullable Boolean tls,
		@Schema(description = "Default encoding of the steps (utf8)") @Nullable Encoding encoding,
		@Schema(description = "Connect and TLS handshake timeout in ms (default gateway.timeouts.connect)") @Nullable Integer connectTimeoutMs,
		@Schema(description = "Deadline of the whole conversation in ms (default 30000, at most 300000)") @Nullable Integer timeoutMs,
		@Schema(description = "Initial variables for ${name} in send") @Nullable Map<String, String> vars,
		@Schema(description = "1 to 100 steps") @Nullable List<ConversationStep> steps) {

}
