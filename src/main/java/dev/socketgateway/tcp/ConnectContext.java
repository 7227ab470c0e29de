package dev.socketgateway.tcp;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * What one request wants from a connect, and what the connect reports back. Spring
 * Integration obtains connections on the calling thread, so the caller hands it over in a
 * thread-local for the duration of the call.
 */
final class ConnectContext {

	private static final ThreadLocal<ConnectContext> CURRENT = new ThreadLocal<>();

	final int connectTimeoutMs;

	final int soTimeoutMs;

	final @Nullable SSLSocketFactory tls;

	final String serverName;

	/** Set by the factory once the socket is connected (and the handshake done). */
	long connectNanos = -1;

	/** Set by the factory when a connect was attempted and failed. */
	boolean connectFailed;

	ConnectContext(int connectTimeoutMs, int soTimeoutMs, @Nullable SSLSocketFactory tls, String serverName) {
		this.connectTimeoutMs = connectTimeoutMs;
		this.soTimeoutMs = soTimeoutMs;
		this.tls = tls;
		this.serverName = serverName;
	}

	static @Nullable ConnectContext current() {
		return CURRENT.get();
	}

	void bind() {
		CURRENT.set(this);
	}

	static void unbind() {
		CURRENT.remove();
	}

	boolean connected() {
		return this.connectNanos >= 0;
	}

}
