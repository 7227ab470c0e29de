package dev.socketgateway.tcp;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.ip.tcp.connection.TcpNetClientConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpNetConnection;
import org.springframework.integration.ip.tcp.connection.TcpNetConnectionSupport;

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
				socket = handshake(socket, context.tls, context.serverName, port, timeout, start);
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

	/**
	 * TLS over a connected socket, verifying the name the caller asked for although the
	 * socket went to the checked IP.
	 * @param plain the connected socket
	 * @param tls the client socket factory
	 * @param serverName the name to verify
	 * @param port the port
	 * @param timeout the connect timeout in milliseconds, counted from {@code start}
	 * @param start when connecting began ({@link System#nanoTime()})
	 * @return the TLS socket, handshake done
	 * @throws IOException when the handshake fails
	 */
	static Socket handshake(Socket plain, javax.net.ssl.SSLSocketFactory tls, String serverName, int port, int timeout,
			long start) throws IOException {
		SSLSocket ssl = (SSLSocket) tls.createSocket(plain, serverName, port, true);
		SSLParameters parameters = ssl.getSSLParameters();
		// Verify the name the caller asked for, although the socket went to the checked
		// IP.
		parameters.setEndpointIdentificationAlgorithm("HTTPS");
		if (!Character.isDigit(serverName.charAt(0)) && !serverName.contains(":")) {
			parameters.setServerNames(List.of(new SNIHostName(serverName)));
		}
		ssl.setSSLParameters(parameters);
		long left = timeout - (System.nanoTime() - start) / 1_000_000;
		ssl.setSoTimeout((int) Math.max(1, left));
		ssl.startHandshake();
		ssl.setSoTimeout(0);
		return ssl;
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

	private final class CountedConnection extends TcpNetConnection {

		private final AtomicBoolean closed = new AtomicBoolean();

		private @Nullable InputStream buffered;

		CountedConnection(Socket socket, boolean server, boolean lookupHost,
				@Nullable ApplicationEventPublisher publisher, @Nullable String factoryName) {
			super(socket, server, lookupHost, publisher, factoryName);
		}

		@Override
		protected InputStream inputStream() throws IOException {
			// Delimiter codecs read byte by byte; one recv per byte would cost a syscall
			// each.
			InputStream in = this.buffered;
			if (in == null) {
				in = new BufferedInputStream(super.inputStream(), 8192);
				this.buffered = in;
			}
			return in;
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
