package dev.socketgateway.tcp;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * What one connect attempt wants, and what it reports back to the address loop: whether a
 * connection was made, or a connect (or TLS handshake) failed so the next address may be
 * tried.
 */
final class ConnectContext {

	final int connectTimeoutMs;

	final @Nullable SSLSocketFactory tls;

	final String serverName;

	/** Set once the socket is connected (and the handshake done). */
	long connectNanos = -1;

	/** Set when a connect was attempted and failed. */
	boolean connectFailed;

	ConnectContext(int connectTimeoutMs, @Nullable SSLSocketFactory tls, String serverName) {
		this.connectTimeoutMs = connectTimeoutMs;
		this.tls = tls;
		this.serverName = serverName;
	}

	boolean connected() {
		return this.connectNanos >= 0;
	}

}
