package dev.socketgateway.listener;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import org.springframework.core.task.TaskExecutor;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.integration.ip.dsl.Udp;
import org.springframework.integration.ip.udp.inbound.UnicastReceivingChannelAdapter;
import org.springframework.messaging.Message;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.egress.Addresses;
import dev.socketgateway.listener.rules.Plan;

/**
 * Serves UDP listeners: one Spring Integration receiving adapter each, every datagram
 * recorded with its sender, and answers sent from the bound socket.
 */
final class UdpListenerServer {

	private final IntegrationFlowContext flows;

	private final ListenerTraffic traffic;

	private final ListenersHealthIndicator health;

	private final TaskExecutor executor;

	private final ListenerAnswers answers;

	private final ListenerProxy proxy;

	private final int maxPeers;

	UdpListenerServer(IntegrationFlowContext flows, ListenerTraffic traffic, ListenersHealthIndicator health,
			TaskExecutor executor, ListenerAnswers answers, ListenerProxy proxy, int maxPeers) {
		this.answers = answers;
		this.proxy = proxy;
		this.maxPeers = maxPeers;
		this.flows = flows;
		this.traffic = traffic;
		this.health = health;
		this.executor = executor;
	}

	/**
	 * Binds and starts receiving; sets the listener's port, socket and registration.
	 * @param listener the listener
	 * @param port the port asked for, 0 for any
	 */
	void start(Listener listener, int port) {
		if (port != 0) {
			// The adapter binds on its own thread and only logs a failure: probe first.
			try (DatagramSocket probe = new DatagramSocket(null)) {
				probe.bind(new InetSocketAddress(InetAddress.getByName(listener.bindAddress), port));
			}
			catch (IOException ex) {
				throw this.health.bindFailed(listener.bindAddress, port, ex);
			}
		}
		UnicastReceivingChannelAdapter adapter = Udp.inboundAdapter(port)
			.localAddress(listener.bindAddress)
			.taskExecutor(this.executor)
			.getObject();
		IntegrationFlow flow = IntegrationFlow.from(adapter)
			.handle((Message<?> message) -> onDatagram(listener, message))
			.get();
		listener.registration = this.flows.registration(flow).id("listener-" + listener.id).register();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while ((!adapter.isListening() || adapter.getSocket() == null) && System.nanoTime() < deadline) {
			// The adapter has no event or future for "bound": poll it briefly.
			pause();
		}
		DatagramSocket socket = adapter.getSocket();
		if (!adapter.isListening() || socket == null) {
			throw this.health.bindFailed(listener.bindAddress, port, null);
		}
		listener.udpSocket = socket;
		listener.port = socket.getLocalPort();
	}

	private static void pause() {
		try {
			Thread.sleep(5);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void onDatagram(Listener listener, Message<?> message) {
		byte[] payload = (byte[]) message.getPayload();
		Object address = message.getHeaders().get(IpHeaders.PACKET_ADDRESS);
		InetSocketAddress sender = (address instanceof InetSocketAddress socketAddress) ? socketAddress
				: new InetSocketAddress((String) message.getHeaders().get(IpHeaders.IP_ADDRESS),
						(Integer) message.getHeaders().get(IpHeaders.PORT));
		String from = Addresses.format(sender);
		listener.udpSenders.putIfAbsent(from, sender);
		if (listener.mode == ListenerMode.RULES || listener.mode == ListenerMode.PROXY) {
			// Rules answer, and a proxy relays, for at most
			// gateway.limits.max-listener-clients
			// senders; later ones are recorded only.
			Listener.UdpPeer peer = listener.udpPeers.get(from);
			if (peer == null && listener.udpPeers.size() < this.maxPeers) {
				peer = listener.udpPeers.computeIfAbsent(from, (key) -> new Listener.UdpPeer(sender));
			}
			Plan plan = (listener.mode == ListenerMode.RULES) ? this.answers.decide(listener, payload) : Plan.NONE;
			this.traffic.received(listener, payload, from, null, "udp", payload.length, plan.rule());
			if (peer != null && listener.mode == ListenerMode.RULES) {
				this.answers.play(listener, peer, plan);
			}
			else if (peer != null) {
				this.proxy.datagram(listener, peer, from, payload);
			}
			return;
		}
		this.traffic.received(listener, payload, from, null, "udp", payload.length);
		if (listener.echoes()) {
			send(listener, sender, payload);
		}
	}

	/**
	 * Sends one datagram from the listener's socket, so the reply comes from the port the
	 * client sent to.
	 * @param listener the listener
	 * @param to the receiver
	 * @param payload the bytes
	 * @return bytes sent
	 */
	long send(Listener listener, InetSocketAddress to, byte[] payload) {
		DatagramSocket socket = listener.udpSocket;
		if (socket == null || listener.closed) {
			throw ListenerService.closed(listener);
		}
		try {
			socket.send(new DatagramPacket(payload, payload.length, to));
		}
		catch (IOException ex) {
			throw new GatewayException(ErrorCode.CONNECTION_REFUSED,
					"sending to " + Addresses.format(to) + " failed: " + ex.getMessage(), ex);
		}
		this.traffic.sent("udp", payload.length);
		return payload.length;
	}

}
