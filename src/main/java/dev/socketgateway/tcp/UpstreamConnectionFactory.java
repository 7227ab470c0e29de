package dev.socketgateway.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.ip.tcp.connection.TcpNetClientConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpNetConnection;
import org.springframework.integration.ip.tcp.connection.TcpNetConnectionSupport;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessagingException;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.metrics.GatewayMetrics.Direction;

/**
 * A Spring Integration client connection factory that connects to one checked address
 * with the calling request's connect timeout, does the TLS handshake against the
 * requested host name, buffers reads, and counts connections.
 */
class UpstreamConnectionFactory extends TcpNetClientConnectionFactory {

	private final InetAddress address;

	private final GatewayMetrics metrics;

	private final String targetTag;

	UpstreamConnectionFactory(InetAddress address, int port, GatewayMetrics metrics, String targetTag) {
		super(address.getHostAddress(), port);
		this.address = address;
		this.metrics = metrics;
		this.targetTag = targetTag;
		setSoTcpNoDelay(true);
		setLookupHost(false);
		setTcpNetConnectionSupport(new BufferedConnectionSupport());
	}

	@Override
	protected Socket createSocket(String host, int port) throws IOException {
		ConnectContext context = ConnectContext.current();
		int timeout = (context != null) ? context.connectTimeoutMs : (int) getConnectTimeout().toMillis();
		long start = System.nanoTime();
		Socket socket = getTcpSocketFactorySupport().getSocketFactory().createSocket();
		try {
			socket.setTcpNoDelay(true);
			socket.connect(new InetSocketAddress(this.address, port), timeout);
			if (context != null && context.tls != null) {
				socket = handshake(socket, context, port, timeout, start);
			}
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			if (context != null) {
				context.connectFailed = true;
			}
			throw ex;
		}
		if (context != null) {
			context.connectNanos = System.nanoTime() - start;
		}
		this.metrics.connectionOpened("tcp", Direction.OUTBOUND, this.targetTag);
		return socket;
	}

	private Socket handshake(Socket plain, ConnectContext context, int port, int timeout, long start)
			throws IOException {
		long left = timeout - (System.nanoTime() - start) / 1_000_000;
		return TlsClients.handshake(plain, context.tls, context.serverName, port, left);
	}

	@Override
	protected void initializeConnection(
			org.springframework.integration.ip.tcp.connection.TcpConnectionSupport connection, Socket socket) {
		super.initializeConnection(connection, socket);
		ConnectContext context = ConnectContext.current();
		if (context != null && context.soTimeoutMs > 0) {
			try {
				socket.setSoTimeout(context.soTimeoutMs);
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}
	}

	private final class BufferedConnectionSupport implements TcpNetConnectionSupport {

		@Override
		public TcpNetConnection createNewConnection(Socket socket, boolean server, boolean lookupHost,
				@Nullable ApplicationEventPublisher publisher, @Nullable String factoryName) {
			return new CountedConnection(socket, server, lookupHost, publisher, factoryName);
		}

	}

	private final class CountedConnection extends BufferedNetConnection {

		private final AtomicBoolean closed = new AtomicBoolean();

		CountedConnection(Socket socket, boolean server, boolean lookupHost,
				@Nullable ApplicationEventPublisher publisher, @Nullable String factoryName) {
			super(socket, server, lookupHost, publisher, factoryName);
		}

		@Override
		public void send(Message<?> message) {
			Long deadlineMs = message.getHeaders().get(UpstreamPools.REPLY_TIMEOUT_HEADER, Long.class);
			if (deadlineMs == null) {
				super.send(message);
				return;
			}
			// Exactly one of the write and the deadline settles the send: a deadline that
			// fires as the write returns must not close the connection under the reply.
			AtomicBoolean settled = new AtomicBoolean();
			ScheduledFuture<?> watchdog = Deadlines.after(deadlineMs, () -> {
				if (settled.compareAndSet(false, true)) {
					close();
				}
			});
			String remote = getHostAddress() + ":" + getPort();
			try {
				super.send(message);
			}
			catch (RuntimeException ex) {
				if (!settled.compareAndSet(false, true)) {
					throw new MessagingException(message, UpstreamFailures.writeTimeout(remote, deadlineMs));
				}
				throw ex;
			}
			finally {
				watchdog.cancel(false);
			}
			if (!settled.compareAndSet(false, true)) {
				throw new MessagingException(message,
						new GatewayException(ErrorCode.REPLY_TIMEOUT, "writing to " + remote
								+ " took the whole reply deadline of " + deadlineMs
								+ " ms (replyTimeoutMs): no reply could arrive in time; the connection was closed"));
			}
		}

		private String remote() {
			return getHostAddress() + ":" + getPort();
		}

		@Override
		public void close() {
			if (this.closed.compareAndSet(false, true)) {
				UpstreamConnectionFactory.this.metrics.connectionClosed("tcp", Direction.OUTBOUND);
			}
			super.close();
		}

	}

}
