package dev.socketgateway.listener;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.ip.tcp.connection.TcpNetClientConnectionFactory;

/**
 * A proxy listener's upstream connection for one client: connecting while the client's
 * first frames wait, then relaying both ways until either side closes.
 */
final class ProxyLink {

	final CompletableFuture<TcpConnection> connection = new CompletableFuture<>();

	volatile @Nullable TcpNetClientConnectionFactory factory;

	volatile @Nullable String remote;

	volatile boolean closed;

	final long openedNanos = System.nanoTime();

	volatile long bytesSent;

	volatile long bytesReceived;

	/** Closes the upstream side, now or as soon as it connects. */
	void close() {
		this.closed = true;
		this.connection.thenAccept(TcpConnection::close);
		TcpNetClientConnectionFactory factory = this.factory;
		if (factory != null && this.connection.isDone()) {
			factory.stop();
		}
	}

}
