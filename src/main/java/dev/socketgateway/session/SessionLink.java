package dev.socketgateway.session;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.tcp.connection.SocketInfo;
import org.springframework.messaging.Message;

/**
 * What a session needs of its connection, plain (shared NIO selector) or TLS (one
 * blocking reader each).
 */
interface SessionLink {

	boolean isOpen();

	@Nullable SocketInfo getSocketInfo();

	void send(Message<?> message);

	/**
	 * Closes the connection, recording why unless a reason was already recorded.
	 * @param reason the close reason
	 */
	void closeWith(String reason);

}
