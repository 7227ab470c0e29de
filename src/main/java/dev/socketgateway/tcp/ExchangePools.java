package dev.socketgateway.tcp;

import java.net.InetAddress;

import org.jspecify.annotations.Nullable;

import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.Framing;

/**
 * Pooled request/reply connections, one pool per key. Two engines keep the same behaviour
 * (pooled per key, a failed or timed-out connection closed and never reused, a connection
 * the peer closed never used again, idle ones closed): {@code integration} (default),
 * Spring Integration flows registered per key, and {@code direct}, the calling thread
 * reading its own socket, chosen with {@code gateway.pool.engine}.
 */
interface ExchangePools {

	/**
	 * One request/reply on a pooled connection of the key.
	 * @param key the pool key
	 * @param payload the message without framing
	 * @param replyTimeoutMs absolute deadline of the reply
	 * @param context connect settings; records what happened while connecting
	 * @param remote {@code ip:port}, for messages
	 * @return the reply frame
	 * @throws RuntimeException a {@link dev.socketgateway.GatewayException}, or a failure
	 * for {@link UpstreamFailures} to map
	 */
	Frame exchange(PoolKey key, byte[] payload, int replyTimeoutMs, ConnectContext context, String remote);

	/**
	 * A snapshot for health.
	 * @return the figures
	 */
	Stats stats();

	/**
	 * What makes two exchanges share a pooled connection.
	 *
	 * @param address the checked address
	 * @param port the port
	 * @param framing the framing
	 * @param tlsBundle the TLS bundle ({@code ""} for the JDK trust store), or
	 * {@code null} without TLS
	 * @param serverName the name TLS verifies ({@code ""} without TLS)
	 * @param targetTag the metric target tag
	 */
	record PoolKey(InetAddress address, int port, Framing framing, @Nullable String tlsBundle, String serverName,
			String targetTag) {
	}

	/**
	 * Pool figures.
	 *
	 * @param pools registered pools
	 * @param active connections checked out
	 * @param idle connections waiting in pools
	 * @param maxPerTarget the per-pool cap
	 */
	record Stats(int pools, int active, int idle, int maxPerTarget) {
	}

}
