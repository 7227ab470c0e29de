package dev.socketgateway.upstream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.ip.tcp.connection.TcpNetConnection;

/**
 * A Spring Integration blocking connection that reads through a buffer: the delimiter
 * codecs read byte by byte, and one {@code recv} per byte would cost a syscall each. The
 * pooled exchanges' and the TLS sessions' connections both read this way.
 */
public class BufferedNetConnection extends TcpNetConnection {

	private @Nullable InputStream buffered;

	public BufferedNetConnection(Socket socket, boolean server, boolean lookupHost,
			@Nullable ApplicationEventPublisher publisher, @Nullable String factoryName) {
		super(socket, server, lookupHost, publisher, factoryName);
	}

	@Override
	protected InputStream inputStream() throws IOException {
		InputStream in = this.buffered;
		if (in == null) {
			in = new BufferedInputStream(super.inputStream(), 8192);
			this.buffered = in;
		}
		return in;
	}

}
