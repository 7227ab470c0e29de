package dev.socketgateway.tcp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.metrics.GatewayMetrics.Direction;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.FrameCodec;
import dev.socketgateway.payload.Framing;

/**
 * Pooled upstream connections, one pool per resolved address, port, framing and TLS
 * settings. The calling thread writes the request and reads the reply itself on a
 * blocking socket (a virtual thread on JDK 21+): no reader thread per connection, no
 * hand-off between threads, no message objects. A connection whose exchange failed or
 * timed out is closed and never returned; an idle one the peer closed is found and closed
 * at checkout; idle ones are closed after {@code gateway.pool.idle-timeout}.
 *
 * <p>
 * This replaced a Spring Integration {@code TcpOutboundGateway} over a
 * {@code CachingClientConnectionFactory}, whose reader-thread hand-off, per-checkout UUID
 * and message building took about half of an exchange's CPU (see docs/benchmarks.md).
 */
class DirectPools implements ExchangePools, DisposableBean {

	private final GatewayMetrics metrics;

	private final GatewayProperties properties;

	private final Map<PoolKey, Pool> pools = new ConcurrentHashMap<>();

	DirectPools(GatewayMetrics metrics, GatewayProperties properties) {
		this.metrics = metrics;
		this.properties = properties;
	}

	/**
	 * The pool for a key, created on first use.
	 * @param key the pool key
	 * @return the pool
	 */
	Pool pool(PoolKey key) {
		Pool pool = this.pools.computeIfAbsent(key, (k) -> new Pool(k, this.properties.pool().maxPerTarget(),
				k.framing().codec(this.properties.limits().frameLimit())));
		pool.touch();
		return pool;
	}

	@Override
	public Stats stats() {
		int active = 0;
		int idle = 0;
		for (Pool pool : this.pools.values()) {
			active += pool.activeCount();
			idle += pool.idle.size();
		}
		return new Stats(this.pools.size(), active, idle, this.properties.pool().maxPerTarget());
	}

	/**
	 * One request/reply on a pooled connection.
	 * @param pool the pool
	 * @param payload the message, framed by the pool's codec
	 * @param replyTimeoutMs absolute deadline for the whole reply
	 * @param context connect settings and what happened while connecting
	 * @param remote {@code ip:port} for messages
	 * @return the reply frame
	 */
	@Override
	public Frame exchange(PoolKey key, byte[] payload, int replyTimeoutMs, ConnectContext context, String remote) {
		Pool pool = pool(key);
		if (!pool.acquire(context.connectTimeoutMs)) {
			throw new GatewayException(ErrorCode.OVERLOADED,
					"every pooled connection to " + remote + " is busy (gateway.pool.max-per-target); retry shortly",
					null, Map.of(), 1L);
		}
		Conn conn = null;
		ScheduledFuture<?> deadline = null;
		boolean written = false;
		try {
			conn = checkout(pool, context);
			// Closes the socket if the write or the reply outlives the deadline: an
			// untimed read is cheaper than a socket timeout per read (see Deadlines).
			deadline = Deadlines.after(replyTimeoutMs, conn::expire);
			pool.codec.serialize(payload, conn.out);
			conn.out.flush();
			written = true;
			Frame frame = pool.reader.deserialize(conn.buffered);
			deadline.cancel(false);
			if (!conn.expired) {
				conn.idleSince = System.nanoTime();
				pool.idle.addFirst(conn);
				conn = null;
			}
			return frame;
		}
		catch (IOException | RuntimeException ex) {
			if (ex instanceof GatewayException gateway) {
				throw gateway;
			}
			if (context.connectFailed) {
				throw UpstreamFailures.connectFailure(ex, remote, context.connectTimeoutMs);
			}
			if (conn != null && conn.expired) {
				throw written ? UpstreamFailures.replyTimeout(remote, pool.key.framing().value(), replyTimeoutMs, ex)
						: UpstreamFailures.writeTimeout(remote, replyTimeoutMs);
			}
			throw UpstreamFailures.exchangeFailure(ex, remote, pool.key.framing().value(), replyTimeoutMs);
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
	 * The most recently used idle connection the peer has not closed, or a new one.
	 */
	private Conn checkout(Pool pool, ConnectContext context) throws IOException {
		Conn conn;
		while ((conn = pool.idle.pollFirst()) != null) {
			if (conn.stillOpen()) {
				return conn;
			}
			close(conn);
		}
		return connect(pool.key, context);
	}

	private Conn connect(PoolKey key, ConnectContext context) throws IOException {
		long start = System.nanoTime();
		SocketChannel channel = SocketChannel.open();
		Socket socket = channel.socket();
		try {
			socket.setTcpNoDelay(true);
			socket.setKeepAlive(true);
			socket.connect(new InetSocketAddress(key.address(), key.port()), context.connectTimeoutMs);
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			context.connectFailed = true;
			throw ex;
		}
		Socket io = socket;
		if (context.tls != null) {
			try {
				long left = context.connectTimeoutMs - (System.nanoTime() - start) / 1_000_000;
				io = TlsClients.handshake(socket, context.tls, context.serverName, key.port(), left);
			}
			catch (IOException | RuntimeException ex) {
				channel.close();
				context.connectFailed = true;
				throw ex;
			}
		}
		context.connectNanos = System.nanoTime() - start;
		this.metrics.connectionOpened("tcp", Direction.OUTBOUND, key.targetTag());
		return new Conn(channel, io);
	}

	private void close(Conn conn) {
		try {
			conn.io.close();
			conn.channel.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.metrics.connectionClosed("tcp", Direction.OUTBOUND);
	}

	@Scheduled(fixedDelayString = "${gateway.pool.eviction-interval:5s}")
	void evictIdle() {
		long idleNanos = this.properties.pool().idleTimeout().toNanos();
		long now = System.nanoTime();
		this.pools.forEach((key, pool) -> {
			for (Conn conn : pool.idle) {
				if ((now - conn.idleSince > idleNanos || !conn.stillOpen()) && pool.idle.remove(conn)) {
					close(conn);
				}
			}
			if (now - pool.lastUsed > idleNanos && pool.activeCount() == 0 && pool.idle.isEmpty()) {
				this.pools.remove(key, pool);
			}
		});
	}

	@Override
	public void destroy() {
		this.pools.forEach((key, pool) -> {
			Conn conn;
			while ((conn = pool.idle.pollFirst()) != null) {
				close(conn);
			}
		});
		this.pools.clear();
	}

	/**
	 * The connections of one key: idle ones most recently used first, and a cap on how
	 * many are checked out at once.
	 */
	static final class Pool {

		final PoolKey key;

		final FrameCodec codec;

		/**
		 * Reads replies as the Spring Integration engine does: a close before one is an
		 * error.
		 */
		final ClientDeserializer reader;

		final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();

		private final int max;

		private final Semaphore permits;

		volatile long lastUsed = System.nanoTime();

		Pool(PoolKey key, int max, FrameCodec codec) {
			this.key = key;
			this.max = max;
			this.permits = new Semaphore(max);
			this.codec = codec;
			this.reader = new ClientDeserializer(codec);
		}

		void touch() {
			this.lastUsed = System.nanoTime();
		}

		boolean acquire(int waitMs) {
			if (this.permits.tryAcquire()) {
				return true;
			}
			try {
				return this.permits.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}

		void release() {
			this.permits.release();
		}

		int activeCount() {
			return this.max - this.permits.availablePermits();
		}

	}

	/**
	 * One pooled connection: a blocking channel (so that checkout can look for a close
	 * without blocking), the socket bytes go through (TLS or plain), and buffered
	 * streams.
	 */
	static final class Conn {

		final SocketChannel channel;

		final Socket io;

		final ReplyStream buffered;

		final OutputStream out;

		volatile long idleSince = System.nanoTime();

		/** Set when the deadline closed the socket. */
		volatile boolean expired;

		Conn(SocketChannel channel, Socket io) throws IOException {
			this.channel = channel;
			this.io = io;
			this.buffered = new ReplyStream(io.getInputStream());
			this.out = new BufferedOutputStream(io.getOutputStream(), 8192);
		}

		/**
		 * The deadline passed: closing the channel ends a blocked write or read (TLS
		 * included, which runs over it) at once.
		 */
		void expire() {
			this.expired = true;
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				// closed anyway
			}
		}

		/**
		 * Whether the peer left this idle connection alone: no close, no reset, no stray
		 * bytes (which would answer the next request).
		 */
		boolean stillOpen() {
			if (!this.channel.isOpen() || this.buffered.holdsBytes()) {
				return false;
			}
			try {
				synchronized (this.channel.blockingLock()) {
					this.channel.configureBlocking(false);
					try {
						return this.channel.read(ByteBuffer.allocate(1)) == 0;
					}
					finally {
						this.channel.configureBlocking(true);
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				return false;
			}
		}

	}

	/**
	 * Buffered reads (the delimiter codecs read byte by byte) that can tell whether bytes
	 * are left over in the buffer without asking the socket.
	 */
	static final class ReplyStream extends BufferedInputStream {

		ReplyStream(InputStream in) {
			super(in, 8192);
		}

		boolean holdsBytes() {
			synchronized (this) {
				return this.count > this.pos;
			}
		}

	}

}
