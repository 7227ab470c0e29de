package dev.socketgateway.listener;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.dsl.context.IntegrationFlowContext.IntegrationFlowRegistration;
import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.messaging.Message;

import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.listener.rules.AnswerQueue;
import dev.socketgateway.listener.rules.Recording;
import dev.socketgateway.listener.rules.RuleBook;
import dev.socketgateway.payload.FrameCodec;
import dev.socketgateway.buffer.MessageBuffer;
import dev.socketgateway.egress.Protocol;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.payload.QuietJoiner;
import dev.socketgateway.registry.Registry;

/**
 * One TCP or UDP listener: its clients and its receive buffer.
 */
final class Listener implements Registry.Entry {

	final String id;

	final long ordinal;

	final Protocol protocol;

	final String bindAddress;

	final ListenerMode mode;

	/** Rules mode: the compiled rules. */
	final @Nullable RuleBook rules;

	/** Proxy mode: where clients are relayed, as the policy checked it. */
	final @Nullable ResolvedTarget upstream;

	/** Proxy mode: what the upstream answered, for {@code GET .../recording}. */
	final @Nullable Recording recording;

	final @Nullable Framing framing;

	final byte @Nullable [] greeting;

	final Instant openedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);

	final MessageBuffer buffer;

	/** Connected TCP clients by connection id. */
	final Map<String, Client> tcpClients = new ConcurrentHashMap<>();

	/**
	 * TCP clients whose messages may still arrive, by connection id: the connected ones
	 * and, for a while, those that closed (their last reads reach us after the close).
	 */
	final Map<String, Client> tcpReaders = new ConcurrentHashMap<>();

	/** UDP senders seen, by {@code ip:port}. */
	final Map<String, InetSocketAddress> udpSenders = new ConcurrentHashMap<>();

	/** Rules and proxy mode: per UDP sender, its answers in order and its upstream. */
	final Map<String, UdpPeer> udpPeers = new ConcurrentHashMap<>();

	/** TCP: frames what the listener writes (its socket writes bytes as they are). */
	volatile @Nullable FrameCodec codec;

	/** TCP: the server factory, whose selector completes resets. */
	volatile @Nullable ListenerServerFactory server;

	volatile int port;

	volatile @Nullable IntegrationFlowRegistration registration;

	volatile @Nullable DatagramSocket udpSocket;

	volatile boolean closed;

	/**
	 * TCP: how greetings, echoes, answers and sends are written, when not the framing.
	 */
	volatile @Nullable Framing sendFraming;

	volatile long closedAtMillis;

	/**
	 * TCP with {@code raw} framing: quiet time that ends a received message; set once.
	 */
	volatile int idleMs = QuietJoiner.DEFAULT_IDLE_MS;

	Listener(String id, long ordinal, Protocol protocol, String bindAddress, ListenerMode mode,
			@Nullable RuleBook rules, @Nullable ResolvedTarget upstream, @Nullable Framing framing,
			byte @Nullable [] greeting, int bufferSize, long bufferBytes, MessageBuffer buffer) {
		this.id = id;
		this.ordinal = ordinal;
		this.protocol = protocol;
		this.bindAddress = bindAddress;
		this.mode = mode;
		this.rules = rules;
		this.upstream = upstream;
		this.recording = (mode == ListenerMode.PROXY) ? new Recording(bufferSize, bufferBytes) : null;
		this.framing = framing;
		this.greeting = greeting;
		this.buffer = buffer;
	}

	/**
	 * A payload with the listener's framing, as it goes on the wire.
	 * @param payload the payload
	 * @return the framed bytes
	 */
	byte[] frame(byte[] payload) {
		FrameCodec codec = this.codec;
		if (codec == null) {
			return payload;
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 8);
		try {
			codec.serialize(payload, out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	/** Wakes the TCP selector so that a reset connection really closes. */
	void wakeUp() {
		ListenerServerFactory server = this.server;
		if (server != null) {
			server.wakeUp();
		}
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public long ordinal() {
		return this.ordinal;
	}

	@Override
	public boolean isOpen() {
		return !this.closed;
	}

	@Override
	public long closedAtMillis() {
		return this.closedAtMillis;
	}

	@Override
	public void forgotten() {
		this.buffer.discard();
	}

	boolean echoes() {
		return this.mode == ListenerMode.ECHO;
	}

	Framing tcpFraming() {
		return (this.framing != null) ? this.framing : Framing.CRLF;
	}

	/**
	 * The framing of what the listener writes: {@code sendFraming}, else the framing.
	 * @return the framing of writes
	 */
	Framing writeFraming() {
		Framing send = this.sendFraming;
		return (send != null) ? send : tcpFraming();
	}

	int clients() {
		return (this.protocol == Protocol.TCP) ? this.tcpClients.size() : this.udpSenders.size();
	}

	/**
	 * A TCP client: its connection, and a resequencer, because Spring Integration's NIO
	 * connections may hand consecutive messages to the flow on different threads.
	 */
	static final class Client {

		final TcpConnection connection;

		final String from;

		/**
		 * Turned away on accept (limit reached or listener closing): nothing recorded.
		 */
		final boolean refused;

		volatile long closedAtMillis;

		/**
		 * Rules: answers in the order of the frames; proxy: relays to the upstream in
		 * order.
		 */
		final AnswerQueue answers = new AnswerQueue();

		/** Proxy mode: the upstream connection paired with this client. */
		volatile @Nullable ProxyLink upstream;

		/**
		 * {@code raw} framing: joins what the reads return into messages, after the
		 * resequencer and before recording, rules, echo and proxy; set once on accept.
		 */
		volatile @Nullable QuietJoiner joiner;

		private final TreeMap<Long, Message<?>> pending = new TreeMap<>();

		private long next = 1;

		Client(TcpConnection connection, String from, boolean refused) {
			this.connection = connection;
			this.from = from;
			this.refused = refused;
		}

		boolean isOpen() {
			return this.closedAtMillis == 0;
		}

		/** Ends the {@code raw} message waiting for quiet, if any: the client closed. */
		void endMessage() {
			QuietJoiner pending = this.joiner;
			if (pending != null) {
				pending.flush();
			}
		}

		synchronized void inOrder(long sequence, Message<?> message, Consumer<Message<?>> handler) {
			this.pending.put(sequence, message);
			Message<?> head;
			while ((head = this.pending.remove(this.next)) != null) {
				this.next++;
				handler.accept(head);
			}
		}

	}

	/**
	 * A UDP sender of a rules or proxy listener.
	 */
	static final class UdpPeer {

		final InetSocketAddress address;

		final AnswerQueue answers = new AnswerQueue();

		/** Proxy mode: a socket connected to the upstream, answering to this sender. */
		volatile @Nullable DatagramSocket upstream;

		UdpPeer(InetSocketAddress address) {
			this.address = address;
		}

	}

}
