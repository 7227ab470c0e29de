package dev.socketgateway.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.metrics.GatewayMetrics.Direction;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.FrameCodec;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.upstream.Connector;
import dev.socketgateway.upstream.UpstreamConnectException;
import dev.socketgateway.upstream.UpstreamFailures;

/**
 * The one exchange engine: the request thread writes the request and reads the reply on
 * its own blocking socket (a virtual thread on JDK 21+), pooled per {@link PoolKey}, or
 * on a fresh connection closed afterwards. A connection goes back to its pool only when
 * no byte waits on it after the reply, and is checked again at checkout: one with a
 * waiting byte, or closed by the peer, is closed (the bytes logged and counted, never
 * handed to the next request) and replaced. A connection whose exchange failed or timed
 * out is closed, never returned; idle ones are closed after
 * {@code gateway.pool.idle-timeout}. Why a pool of its own rather than commons-pool2 or
 * Spring Integration's {@code SimplePool}: docs/pooling.md.
 */
@Component
class ExchangePools implements DisposableBean, SchedulingConfigurer {

	private static final Log logger = LogFactory.getLog(ExchangePools.class);

	private final GatewayMetrics metrics;

	private final GatewayProperties properties;

	private final Map<PoolKey, KeyPool> pools = new ConcurrentHashMap<>();

	private final AtomicLong closedWithUnreadBytes = new AtomicLong();

	ExchangePools(GatewayMetrics metrics, GatewayProperties properties) {
		this.metrics = metrics;
		this.properties = properties;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(this::evictIdle, this.properties.pool().evictionInterval());
	}

	/**
	 * The pool for a key, created on first use.
	 * @param key the pool key
	 * @return the pool
	 */
	KeyPool pool(PoolKey key) {
		KeyPool pool = this.pools.computeIfAbsent(key, (k) -> new KeyPool(k, this.properties.pool().maxPerTarget(),
				k.framing().codec(this.properties.limits().frameLimit())));
		pool.touch();
		return pool;
	}

	/**
	 * A snapshot for health.
	 * @return the figures
	 */
	Stats stats() {
		int active = 0;
		int idle = 0;
		for (KeyPool pool : this.pools.values()) {
			active += pool.activeCount();
			idle += pool.idle.size();
		}
		return new Stats(this.pools.size(), active, idle, this.properties.pool().maxPerTarget(),
				this.closedWithUnreadBytes.get());
	}

	/**
	 * One request/reply on a pooled connection of the key.
	 * @param key the pool key
	 * @param payload the message, framed by the pool's codec
	 * @param replyTimeoutMs absolute deadline for the write and the whole reply
	 * @param context connect settings; records what happened while connecting
	 * @param remote {@code ip:port} for messages
	 * @return the reply frame
	 * @throws GatewayException what went wrong, mapped for the caller
	 */
	Frame exchange(PoolKey key, byte[] payload, int replyTimeoutMs, ConnectContext context, String remote) {
		KeyPool pool = pool(key);
		if (!pool.acquire(context.connectTimeoutMs)) {
			throw new GatewayException(ErrorCode.OVERLOADED,
					"every pooled connection to " + remote + " is busy (gateway.pool.max-per-target); retry shortly",
					null, Map.of(), 1L);
		}
		ExchangeConnection conn = null;
		ScheduledFuture<?> deadline = null;
		boolean written = false;
		try {
			conn = checkout(pool, context, remote);
			// Closes the socket if the write or the reply outlives the deadline: an
			// untimed read is cheaper than a socket timeout per read (see Deadlines).
			deadline = Deadlines.after(replyTimeoutMs, conn::expire);
			pool.codec.serialize(payload, conn.out);
			conn.out.flush();
			written = true;
			Frame frame = pool.reader.deserialize(conn.in);
			deadline.cancel(false);
			if (!conn.expired) {
				// no syscall: bytes the reply's reads already buffered
				int unread = conn.unreadAfterReply();
				if (unread == 0) {
					conn.idleSince = System.nanoTime();
					pool.idle.addFirst(conn);
				}
				else {
					discard(conn, unread, remote, key.framing());
				}
				conn = null;
			}
			return frame;
		}
		catch (IOException | RuntimeException ex) {
			throw failure(ex, conn, written, context, remote, key.framing(), replyTimeoutMs);
		}
		finally {
			if (deadline != null) {
				deadline.cancel(false);
			}
			if (conn != null) {
				close(conn);
			}
			pool.release();
		}
	}

	/**
	 * One exchange on a fresh connection that is closed afterwards: {@code raw} framing,
	 * reads without a payload, {@code awaitReply: false} and {@code pool: false}.
	 * @param address the checked address
	 * @param port the port
	 * @param targetTag the metric tag
	 * @param codec frames the payload and reads the reply
	 * @param payload the message, or {@code null} to only read
	 * @param awaitReply whether to read a reply
	 * @param idleMs for {@code raw}: quiet time that ends the reply, else 0
	 * @param replyTimeoutMs absolute deadline for the write and the whole reply
	 * @param context connect settings; records what happened while connecting
	 * @param remote {@code ip:port} for messages
	 * @param framing the framing, for messages
	 * @return the reply, or {@code null} when not awaiting one
	 * @throws GatewayException what went wrong, mapped for the caller
	 */
	@Nullable Frame fresh(InetAddress address, int port, String targetTag, FrameCodec codec, byte @Nullable [] payload,
			boolean awaitReply, int idleMs, int replyTimeoutMs, ConnectContext context, String remote,
			Framing framing) {
		ExchangeConnection conn = null;
		ScheduledFuture<?> deadline = null;
		boolean written = false;
		try {
			conn = connect(address, port, targetTag, context);
			if (idleMs > 0) {
				conn.io.setSoTimeout(idleMs);
			}
			deadline = Deadlines.after(replyTimeoutMs, conn::expire);
			if (payload != null) {
				codec.serialize(payload, conn.out);
				conn.out.flush();
			}
			written = true;
			return awaitReply ? new ClientDeserializer(codec).deserialize(conn.in) : null;
		}
		catch (IOException | RuntimeException ex) {
			throw failure(ex, conn, written, context, remote, framing, replyTimeoutMs);
		}
		finally {
			if (deadline != null) {
				deadline.cancel(false);
			}
			if (conn != null) {
				close(conn);
			}
		}
	}

	private GatewayException failure(Exception ex, @Nullable ExchangeConnection conn, boolean written,
			ConnectContext context, String remote, Framing framing, long replyTimeoutMs) {
		if (ex instanceof GatewayException gateway) {
			return gateway;
		}
		if (ex instanceof UpstreamConnectException connect) {
			context.connectFailed = true;
			return connect.problem();
		}
		if (conn != null && conn.expired) {
			return written ? UpstreamFailures.replyTimeout(remote, framing.value(), replyTimeoutMs, ex)
					: UpstreamFailures.writeTimeout(remote, replyTimeoutMs);
		}
		return UpstreamFailures.exchangeFailure(ex, remote, framing.value(), replyTimeoutMs);
	}

	/**
	 * The most recently used idle connection on which nothing waits, or a new one.
	 */
	private ExchangeConnection checkout(KeyPool pool, ConnectContext context, String remote) throws IOException {
		ExchangeConnection conn;
		while ((conn = pool.idle.pollFirst()) != null) {
			int waiting = conn.probe();
			if (waiting == 0) {
				return conn;
			}
			discard(conn, waiting, remote, pool.key.framing());
		}
		return connect(pool.key.address(), pool.key.port(), pool.key.targetTag(), context);
	}

	private ExchangeConnection connect(InetAddress address, int port, String targetTag, ConnectContext context)
			throws IOException {
		Connector.Connection connection = Connector.open(address, port, context.connectTimeoutMs, context.tls,
				context.serverName);
		context.connectNanos = connection.connectNanos();
		this.metrics.connectionOpened("tcp", Direction.OUTBOUND, targetTag);
		try {
			return new ExchangeConnection(connection.channel(), connection.socket());
		}
		catch (IOException ex) {
			connection.channel().close();
			this.metrics.connectionClosed("tcp", Direction.OUTBOUND);
			throw ex;
		}
	}

	/**
	 * Closes a connection that cannot serve the next request: bytes waited on it, or the
	 * peer closed it ({@code waiting} negative). Waiting bytes answer no request, so they
	 * go with the connection, and the operator hears about it.
	 */
	private void discard(ExchangeConnection conn, int waiting, String remote, Framing framing) {
		if (waiting > 0) {
			this.closedWithUnreadBytes.incrementAndGet();
			logger.warn("Closed a pooled connection to " + remote + ": " + waiting
					+ " bytes arrived after the reply to its last exchange and answer no request (the server sent more than one "
					+ framing.value() + " frame: check the framing); the next exchange uses another connection");
		}
		close(conn);
	}

	private void close(ExchangeConnection conn) {
		try {
			conn.io.close();
			conn.channel.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.metrics.connectionClosed("tcp", Direction.OUTBOUND);
	}

	/**
	 * Closes idle connections past the idle timeout or no longer fit to serve, and pools
	 * idle as long. A connection is taken out of the idle set before it is looked at, so
	 * that no request can check it out meanwhile; one still fit goes back.
	 */
	void evictIdle() {
		long idleNanos = this.properties.pool().idleTimeout().toNanos();
		long now = System.nanoTime();
		this.pools.forEach((key, pool) -> {
			for (ExchangeConnection conn : pool.idle.toArray(new ExchangeConnection[0])) {
				if (!pool.idle.remove(conn)) {
					// a request checked it out first
					continue;
				}
				if (now - conn.idleSince > idleNanos) {
					close(conn);
					continue;
				}
				int waiting = conn.probe();
				if (waiting != 0) {
					discard(conn, waiting, key.address().getHostAddress() + ":" + key.port(), key.framing());
					continue;
				}
				pool.idle.addLast(conn);
			}
			if (now - pool.lastUsed > idleNanos && pool.activeCount() == 0 && pool.idle.isEmpty()) {
				this.pools.remove(key, pool);
			}
		});
	}

	@Override
	public void destroy() {
		this.pools.forEach((key, pool) -> {
			ExchangeConnection conn;
			while ((conn = pool.idle.pollFirst()) != null) {
				close(conn);
			}
		});
		this.pools.clear();
	}

	/**
	 * What makes two exchanges share a pooled connection: the same caller, address, port,
	 * framing and TLS settings.
	 *
	 * @param caller the API key id ({@code ""}: the one shared caller when no keys are
	 * set)
	 * @param address the checked address
	 * @param port the port
	 * @param framing the framing
	 * @param tlsBundle the TLS bundle ({@code ""} for the JDK trust store), or
	 * {@code null} without TLS
	 * @param serverName the name TLS verifies ({@code ""} without TLS)
	 * @param targetTag the metric target tag
	 */
	record PoolKey(String caller, InetAddress address, int port, Framing framing, @Nullable String tlsBundle,
			String serverName, String targetTag) {
	}

	/**
	 * Pool figures.
	 *
	 * @param pools registered pools
	 * @param active connections checked out
	 * @param idle connections waiting in pools
	 * @param maxPerTarget the per-pool cap
	 * @param closedWithUnreadBytes connections closed because bytes arrived after a reply
	 */
	record Stats(int pools, int active, int idle, int maxPerTarget, long closedWithUnreadBytes) {
	}

}
