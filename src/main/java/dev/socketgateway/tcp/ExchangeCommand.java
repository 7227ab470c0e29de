package dev.socketgateway.tcp;

import org.jspecify.annotations.Nullable;

import dev.socketgateway.payload.Framing;
import dev.socketgateway.egress.ResolvedTarget;

/**
 * A validated one-shot exchange.
 *
 * @param target where to connect
 * @param payload bytes to send, or {@code null} to only read
 * @param framing the framing
 * @param awaitReply whether to wait for a reply
 * @param connectTimeoutMs connect (and TLS handshake) timeout
 * @param replyTimeoutMs absolute reply deadline
 * @param idleMs quiet time that ends a {@code raw} reply
 * @param maxReplyBytes most bytes of a {@code raw} reply
 * @param tls whether to use TLS
 * @param tlsBundle the SSL bundle for TLS, or {@code null} for the JDK trust store
 * @param caller who asks: the API key id, {@code ""} when no keys are set
 * @param pool whether a pooled connection may serve it ({@code pool: false} on the
 * request or the named target: a fresh one, closed afterwards)
 */
public record ExchangeCommand(ResolvedTarget target, byte @Nullable [] payload, Framing framing, boolean awaitReply,
		int connectTimeoutMs, int replyTimeoutMs, int idleMs, int maxReplyBytes, boolean tls,
		@Nullable String tlsBundle, String caller, boolean pool) {

}
