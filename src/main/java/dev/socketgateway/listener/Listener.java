package dev.socketgateway.listener;

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

import dev.socketgateway.buffer.MessageBuffer;
import dev.socketgateway.egress.Protocol;
import dev.socketgateway.payload.Framing;
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

	volatile int port;

	volatile @Nullable IntegrationFlowRegistration registration;

	volatile @Nullable DatagramSocket udpSocket;

	volatile boolean closed;

	volatile long closedAtMillis;

	Listener(String id, long ordinal, Protocol protocol, String bindAddress, ListenerMode mode,
			@Nullable Framing framing, byte @Nullable [] greeting, int bufferSize) {
		this.id = id;
		this.ordinal = ordinal;
		this.protocol = protocol;
		this.bindAddress = bindAddress;
		this.mode = mode;
		this.framing = framing;
		this.greeting = greeting;
		this.buffer = new MessageBuffer(bufferSize);
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

	boolean echoes() {
		return this.mode == ListenerMode.ECHO;
	}

	Framing tcpFraming() {
		return (this.framing != null) ? this.framing : Framing.CRLF;
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

		synchronized void inOrder(long sequence, Message<?> message, Consumer<Message<?>> handler) {
			this.pending.put(sequence, message);
			Message<?> head;
			while ((head = this.pending.remove(this.next)) != null) {
				this.next++;
				handler.accept(head);
			}
		}

	}

}
