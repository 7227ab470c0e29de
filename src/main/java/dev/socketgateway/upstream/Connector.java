package dev.socketgateway.upstream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

import dev.socketgateway.egress.Addresses;

/**
 * Opens one upstream TCP connection to a checked address: the connect with the request's
 * timeout, then (for TLS) the handshake against the requested host name in the time left.
 * A failure comes back mapped to the step that failed: a refused or timed-out connect
 * points at the host and port, a handshake that got no answer at the port not speaking
 * TLS, an untrusted certificate at the trust material that did not trust it.
 */
public final class Connector {

	private Connector() {
	}

	/**
	 * Connects (plain {@code java.nio}: the pooled exchange reads the socket on the
	 * request thread, where Spring Integration has no blocking client piece that fits).
	 * @param address the checked address
	 * @param port the port
	 * @param connectTimeoutMs bounds the connect and the TLS handshake together
	 * @param tls the TLS socket factory, or {@code null} for plain TCP
	 * @param serverName the name TLS verifies and sends as SNI
	 * @return the connection
	 * @throws UpstreamConnectException carrying the problem to answer
	 */
	public static Connection open(InetAddress address, int port, int connectTimeoutMs, @Nullable SSLSocketFactory tls,
			String serverName) throws UpstreamConnectException {
		String remote = Addresses.format(address, port);
		long start = System.nanoTime();
		SocketChannel channel;
		try {
			channel = SocketChannel.open();
		}
		catch (IOException ex) {
			throw new UpstreamConnectException(UpstreamFailures.connectFailure(ex, remote, connectTimeoutMs));
		}
		Socket socket = channel.socket();
		try {
			socket.setTcpNoDelay(true);
			socket.setKeepAlive(true);
			socket.connect(new InetSocketAddress(address, port), connectTimeoutMs);
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(channel);
			throw new UpstreamConnectException(UpstreamFailures.connectFailure(ex, remote, connectTimeoutMs));
		}
		Socket io = socket;
		if (tls != null) {
			long left = connectTimeoutMs - (System.nanoTime() - start) / 1_000_000;
			try {
				io = TlsClients.handshake(socket, tls, serverName, port, left);
			}
			catch (IOException | RuntimeException ex) {
				closeQuietly(channel);
				throw new UpstreamConnectException(
						UpstreamFailures.handshakeFailure(ex, remote, connectTimeoutMs, TlsClients.trustOf(tls)));
			}
		}
		return new Connection(channel, io, System.nanoTime() - start);
	}

	private static void closeQuietly(SocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	/**
	 * An open upstream connection.
	 *
	 * @param channel the blocking channel (closing it ends a blocked read or write at
	 * once, TLS included, which runs over it)
	 * @param socket what bytes go through: the channel's socket, or the TLS socket over
	 * it
	 * @param connectNanos how long the connect and handshake took
	 */
	public record Connection(SocketChannel channel, Socket socket, long connectNanos) {
	}

}
