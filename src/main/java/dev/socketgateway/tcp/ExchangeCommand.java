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
 * @param sendFraming how the payload is written, or {@code null} for {@code framing}
 * @param caller who asks: the API key id, {@code ""} when no keys are set
 * @param pool whether a pooled connection may serve it ({@code pool: false} on the
 * request or the named target: a fresh one, closed afterwards)
 */
public record ExchangeCommand(ResolvedTarget target, byte @Nullable [] payload, Framing framing, boolean awaitReply,
		int connectTimeoutMs, int replyTimeoutMs, int idleMs, int maxReplyBytes, boolean tls,
		@Nullable String tlsBundle, @Nullable Framing sendFraming, String caller, boolean pool) {

	/**
	 * The framing the payload is written with.
	 * @return {@code sendFraming}, else {@code framing}
	 */
	public Framing writtenFraming() {
		return (this.sendFraming != null) ? this.sendFraming : this.framing;
	}

	/**
	 * Whether a pooled connection is safe: pooling is allowed ({@code pool}), the reply
	 * framing ends frames itself and one framing both writes and reads (the pool key
	 * carries one framing).
	 * @return true when pooling is allowed
	 */
	public boolean poolable() {
		return this.pool && this.payload != null && this.awaitReply && this.framing.endsFramesItself()
				&& (this.sendFraming == null || this.sendFraming.equals(this.framing));
	}

}
