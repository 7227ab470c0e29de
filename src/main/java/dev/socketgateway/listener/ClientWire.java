package dev.socketgateway.listener;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.support.MessageBuilder;

import dev.socketgateway.listener.rules.Wire;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.metrics.GatewayMetrics.Direction;

/**
 * A listener's TCP client as a {@link Wire}: bytes go out as they are (the connection's
 * serializer passes them through), a reset sets SO_LINGER 0 before closing.
 */
final class ClientWire implements Wire {

	private final TcpConnection connection;

	private final GatewayMetrics metrics;

	private final Runnable afterReset;

	ClientWire(TcpConnection connection, GatewayMetrics metrics, Runnable afterReset) {
		this.connection = connection;
		this.metrics = metrics;
		this.afterReset = afterReset;
	}

	@Override
	public void write(byte[] bytes, boolean endOfFrame) throws IOException {
		try {
			this.connection.send(MessageBuilder.withPayload(bytes).build());
		}
		catch (RuntimeException ex) {
			throw new IOException("client " + this.connection.getConnectionId() + " went away", ex);
		}
		this.metrics.traffic("tcp", Direction.INBOUND, ListenerTraffic.TAG, bytes.length, 0, endOfFrame ? 1 : 0, 0);
	}

	@Override
	public void close() {
		this.connection.close();
	}

	@Override
	public void reset() {
		reset(this.connection);
		this.afterReset.run();
	}

	/**
	 * Closes a connection with RST instead of FIN; the caller then wakes the connection's
	 * selector, which completes the close.
	 * @param connection a Spring Integration NIO connection
	 */
	static void reset(TcpConnection connection) {
		// SI's NIO connections expose their SocketChannel through SocketInfo; with
		// SO_LINGER 0 the JDK skips the graceful shutdown and the kernel sends RST on
		// close.
		SocketChannel channel = connection.getSocketInfo().getChannel();
		if (channel != null) {
			try {
				channel.setOption(StandardSocketOptions.SO_LINGER, 0);
			}
			catch (IOException | RuntimeException ex) {
				// already closed: nothing left to reset
			}
		}
		connection.close();
	}

}
