package dev.socketgateway.listener;

import org.jspecify.annotations.Nullable;

import dev.socketgateway.buffer.MessageBuffer;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.metrics.GatewayMetrics.Direction;

/**
 * Records what listener clients send into the listener's buffer and counts listener
 * traffic, TCP and UDP alike.
 */
final class ListenerTraffic {

	/** The {@code target} tag of listener traffic: never a host or port. */
	static final String TAG = "listener";

	private final GatewayMetrics metrics;

	ListenerTraffic(GatewayMetrics metrics) {
		this.metrics = metrics;
	}

	void received(Listener listener, byte[] payload, String from, @Nullable String connectionId, String protocol,
			long wireBytes) {
		received(listener, payload, from, connectionId, protocol, wireBytes, null);
	}

	void received(Listener listener, byte[] payload, String from, @Nullable String connectionId, String protocol,
			long wireBytes, @Nullable Integer rule) {
		MessageBuffer.Appended appended = listener.buffer.append(payload, from, connectionId, rule);
		this.metrics.traffic(protocol, Direction.INBOUND, TAG, 0, wireBytes, 0, 1);
		if (appended.dropped() > 0) {
			dropped(appended.dropped());
		}
	}

	/**
	 * Records what a proxy's upstream sent to a client; its traffic counts as outbound.
	 */
	void upstream(Listener listener, byte[] payload, String from, @Nullable String connectionId) {
		MessageBuffer.Appended appended = listener.buffer.append(payload, from, connectionId, null);
		if (appended.dropped() > 0) {
			dropped(appended.dropped());
		}
	}

	void sent(String protocol, long wireBytes) {
		this.metrics.traffic(protocol, Direction.INBOUND, TAG, wireBytes, 0, 1, 0);
	}

	void dropped(long messages) {
		this.metrics.dropped("listener", messages);
	}

	void clientConnected() {
		this.metrics.connectionOpened("tcp", Direction.INBOUND, TAG);
	}

	void clientClosed() {
		this.metrics.connectionClosed("tcp", Direction.INBOUND);
	}

}
