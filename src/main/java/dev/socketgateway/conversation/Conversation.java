package dev.socketgateway.conversation;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.socketgateway.egress.Protocol;
import dev.socketgateway.egress.TargetRequest;
import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Framing;

/**
 * A checked conversation, ready to run against a resolved target.
 *
 * @param protocol tcp or udp
 * @param target what the request named (empty for a probe module)
 * @param framing the request's framing, if any (else the target's, else crlf)
 * @param sendFraming the framing of sends, if it differs
 * @param tls whether to connect with TLS
 * @param encoding the steps' default encoding
 * @param connectTimeoutMs connect and handshake timeout
 * @param timeoutMs deadline of the whole conversation
 * @param vars initial variables
 * @param steps the steps
 * @param dialect how lines, sends and templates behave
 */
public record Conversation(Protocol protocol, TargetRequest target, @Nullable Framing framing,
		@Nullable Framing sendFraming, boolean tls, Encoding encoding, int connectTimeoutMs, int timeoutMs,
		Map<String, String> vars, List<ConversationPlan.Step> steps, Dialect dialect) {

	/**
	 * The same conversation against another target (a probe module and its {@code target}
	 * parameter).
	 * @param other the target
	 * @return the conversation
	 */
	public Conversation withTarget(TargetRequest other) {
		return new Conversation(this.protocol, other, this.framing, this.sendFraming, this.tls, this.encoding,
				this.connectTimeoutMs, this.timeoutMs, this.vars, this.steps, this.dialect);
	}

	/**
	 * Gateway conversations, or blackbox_exporter's {@code query_response} semantics.
	 */
	public enum Dialect {

		/** As documented for {@code POST /api/v1/conversations}. */
		GATEWAY,
		/**
		 * blackbox_exporter: lines end at LF with an optional CR dropped, sends end with
		 * LF, a send expands {@code $1}/{@code ${name}} from the last expect's match, and
		 * a close before a match is a regex failure.
		 */
		BLACKBOX

	}

}
