package dev.socketgateway.listener;

import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.tcp.connection.TcpNioServerConnectionFactory;

/**
 * A listener's NIO server factory that can wake its selector: a channel closed with
 * SO_LINGER 0 is only really closed (and RST sent) when its selector deregisters it, and
 * an idle selector would otherwise sleep on it.
 */
class ListenerServerFactory extends TcpNioServerConnectionFactory {

	private volatile @Nullable Selector selector;

	ListenerServerFactory(int port) {
		super(port);
	}

	@Override
	protected void doAccept(Selector selector, ServerSocketChannel server, long now) {
		this.selector = selector;
		super.doAccept(selector, server, now);
	}

	/** Lets the selector finish closing what was closed since its last pass. */
	void wakeUp() {
		Selector selector = this.selector;
		if (selector != null) {
			selector.wakeup();
		}
	}

}
