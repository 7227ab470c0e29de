package dev.socketgateway.listener;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import dev.socketgateway.listener.rules.Plan;
import dev.socketgateway.listener.rules.ResponsePlayer;
import dev.socketgateway.listener.rules.RuleBook;
import dev.socketgateway.listener.rules.Wire;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.metrics.GatewayMetrics.Direction;

/**
 * Rules mode: decides each received frame's answer and plays it to the TCP client or UDP
 * sender, one answer after the other per client.
 */
final class ListenerAnswers {

	private final ResponsePlayer player;

	private final GatewayMetrics metrics;

	ListenerAnswers(ScheduledExecutorService timer, Executor io, GatewayMetrics metrics) {
		this.player = new ResponsePlayer(timer, io);
		this.metrics = metrics;
	}

	/**
	 * Decides the answer to one frame.
	 * @param listener the rules listener
	 * @param payload the frame
	 * @return the plan; its {@code rule} is recorded with the message
	 */
	Plan decide(Listener listener, byte[] payload) {
		RuleBook rules = listener.rules;
		return (rules != null) ? rules.decide(payload) : Plan.NONE;
	}

	/**
	 * Plays an answer to a TCP client, after its earlier answers.
	 * @param listener the listener
	 * @param client the client
	 * @param plan the answer
	 */
	void play(Listener listener, Listener.Client client, Plan plan) {
		if (!plan.silent()) {
			client.answers.enqueue(() -> this.player.play(plan, listener.codec,
					new ClientWire(client.connection, this.metrics, listener::wakeUp)));
		}
	}

	/**
	 * Plays an answer to a UDP sender, one datagram per frame.
	 * @param listener the listener
	 * @param peer the sender
	 * @param plan the answer
	 */
	void play(Listener listener, Listener.UdpPeer peer, Plan plan) {
		if (!plan.silent()) {
			peer.answers.enqueue(() -> this.player.play(plan, null, new DatagramWire(listener, peer)));
		}
	}

	private final class DatagramWire implements Wire {

		private final Listener listener;

		private final Listener.UdpPeer peer;

		DatagramWire(Listener listener, Listener.UdpPeer peer) {
			this.listener = listener;
			this.peer = peer;
		}

		@Override
		public void write(byte[] bytes, boolean endOfFrame) throws IOException {
			DatagramSocket socket = this.listener.udpSocket;
			if (socket == null || this.listener.closed) {
				throw new IOException("listener " + this.listener.id + " is closed");
			}
			// The bound socket answers, so the reply comes from the port the client sent
			// to.
			socket.send(new DatagramPacket(bytes, bytes.length, this.peer.address));
			ListenerAnswers.this.metrics.traffic("udp", Direction.INBOUND, ListenerTraffic.TAG, bytes.length, 0, 1, 0);
		}

		@Override
		public void close() {
		}

		@Override
		public void reset() {
		}

	}

}
