package dev.socketgateway.listener;

import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.serializer.Serializer;
import org.springframework.core.task.TaskExecutor;
import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.ip.tcp.connection.TcpConnectionCloseEvent;
import org.springframework.integration.ip.tcp.connection.TcpNetClientConnectionFactory;
import org.springframework.integration.support.MessageBuilder;

import dev.socketgateway.GatewayProperties;
import dev.socketgateway.egress.Addresses;
import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.listener.rules.Recording;
import dev.socketgateway.metrics.AuditLog;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.metrics.GatewayMetrics.Direction;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.FrameCodec;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.payload.QuietJoiner;
import dev.socketgateway.upstream.BufferedNetConnection;

/**
 * Proxy mode: pairs each TCP client with an upstream connection (each UDP sender with a
 * socket connected to the upstream), relays both ways and records both directions.
 */
final class ListenerProxy {

	private static final Log logger = LogFactory.getLog(ListenerProxy.class);

	/** Writes what it is given: the listener frames payloads itself. */
	static final Serializer<byte[]> AS_IS = (bytes, out) -> out.write(bytes);

	/** Appends an upstream frame to a listener's messages. */
	@FunctionalInterface
	interface UpstreamRecorder {

		void record(Listener listener, byte[] payload, String from, @Nullable String connectionId);

	}

	private final TaskExecutor executor;

	private final BeanFactory beanFactory;

	private final GatewayMetrics metrics;

	private final AuditLog audit;

	private final GatewayProperties properties;

	private final UpstreamRecorder recorder;

	private final QuietJoiner.Timer quiet;

	ListenerProxy(TaskExecutor executor, BeanFactory beanFactory, GatewayMetrics metrics, AuditLog audit,
			GatewayProperties properties, UpstreamRecorder recorder, QuietJoiner.Timer quiet) {
		this.quiet = quiet;
		this.executor = executor;
		this.beanFactory = beanFactory;
		this.metrics = metrics;
		this.audit = audit;
		this.properties = properties;
		this.recorder = recorder;
	}

	/**
	 * Opens the upstream connection of a new TCP client, in the background; the client's
	 * frames wait for it.
	 * @param listener the proxy listener
	 * @param client the new client
	 */
	void opened(Listener listener, Listener.Client client) {
		ProxyLink link = new ProxyLink();
		client.upstream = link;
		this.executor.execute(() -> connect(listener, client, link));
	}

	private void connect(Listener listener, Listener.Client client, ProxyLink link) {
		ResolvedTarget target = upstream(listener);
		int frameLimit = this.properties.limits().frameLimit();
		Framing framing = (listener.framing != null) ? listener.framing : Framing.CRLF;
		int connectSeconds = (int) Math.max(1, (this.properties.timeouts().connect().toMillis() + 999) / 1000);
		Exception last = null;
		for (InetAddress address : target.addresses()) {
			String remote = Addresses.format(address, target.port());
			TcpNetClientConnectionFactory factory = new TcpNetClientConnectionFactory(address.getHostAddress(),
					target.port());
			FrameCodec codec = framing.isRaw() ? Framing.rawChunkCodec(frameLimit) : framing.codec(frameLimit);
			// raw: the upstream's messages are joined like the client's, so each side
			// records and relays whole messages
			Consumer<Frame> relay = (frame) -> fromUpstream(listener, client, link, frame);
			QuietJoiner joiner = framing.isRaw() ? new QuietJoiner(listener.idleMs, frameLimit, this.quiet, relay)
					: null;
			factory.setSerializer(AS_IS);
			factory.setDeserializer(codec);
			factory.setSingleUse(false);
			factory.setSoTcpNoDelay(true);
			factory.setLookupHost(false);
			factory.setConnectTimeout(connectSeconds);
			factory.setTaskExecutor(this.executor);
			factory.setBeanFactory(this.beanFactory);
			factory.setTcpNetConnectionSupport(BufferedNetConnection::new);
			factory.setApplicationEventPublisher(new ApplicationEventPublisher() {

				@Override
				public void publishEvent(ApplicationEvent event) {
					if (event instanceof TcpConnectionCloseEvent) {
						if (joiner != null) {
							// its blocking reader handed over every piece already
							joiner.flush();
						}
						upstreamClosed(listener, client, link);
					}
				}

				@Override
				public void publishEvent(Object event) {
					if (event instanceof ApplicationEvent applicationEvent) {
						publishEvent(applicationEvent);
					}
				}

			});
			Consumer<Frame> pieces = (joiner != null) ? joiner::accept : relay;
			factory.registerListener((message) -> pieces.accept((Frame) message.getPayload()));
			factory.start();
			try {
				TcpConnection connection = factory.getConnection();
				link.factory = factory;
				link.remote = remote;
				this.metrics.connectionOpened("tcp", Direction.OUTBOUND, target.tag());
				this.audit.record("listener.proxy.open", target.tag(), remote, 0, 0, "ok",
						(System.nanoTime() - link.openedNanos) / 1_000_000);
				link.connection.complete(connection);
				if (link.closed || !connection.isOpen()) {
					link.close();
				}
				return;
			}
			catch (Exception ex) {
				factory.stop();
				last = ex;
			}
		}
		String reason = reasonOf(last);
		this.metrics.failure("tcp", reason, target.tag());
		this.audit.record("listener.proxy.open", target.tag(), target.host() + ":" + target.port(), 0, 0, reason,
				(System.nanoTime() - link.openedNanos) / 1_000_000);
		logger.debug("Proxy listener " + listener.id + " could not reach its upstream", last);
		link.connection.completeExceptionally((last != null) ? last : new IOException("no address"));
		client.connection.close();
	}

	private static String reasonOf(@Nullable Exception ex) {
		Throwable current = ex;
		while (current != null) {
			if (current instanceof ConnectException) {
				return "refused";
			}
			if (current instanceof SocketTimeoutException) {
				return "connect-timeout";
			}
			current = current.getCause();
		}
		return "refused";
	}

	private static ResolvedTarget upstream(Listener listener) {
		ResolvedTarget target = listener.upstream;
		if (target == null) {
			throw new IllegalStateException("listener " + listener.id + " is not a proxy");
		}
		return target;
	}

	/**
	 * Relays one client frame upstream, after the ones before it.
	 * @param listener the proxy listener
	 * @param client the client
	 * @param payload the frame
	 */
	void fromClient(Listener listener, Listener.Client client, byte[] payload) {
		Recording recording = listener.recording;
		if (recording != null) {
			recording.client(client.connection.getConnectionId(), payload);
		}
		ProxyLink link = client.upstream;
		if (link == null) {
			return;
		}
		byte[] framed = listener.frame(payload);
		String tag = upstream(listener).tag();
		client.answers.enqueue(() -> link.connection.thenAccept((connection) -> {
			connection.send(MessageBuilder.withPayload(framed).build());
			link.bytesSent += framed.length;
			this.metrics.traffic("tcp", Direction.OUTBOUND, tag, framed.length, 0, 1, 0);
		}).exceptionally((ex) -> {
			client.connection.close();
			return null;
		}));
	}

	private void fromUpstream(Listener listener, Listener.Client client, ProxyLink link, Frame frame) {
		String connectionId = client.connection.getConnectionId();
		link.bytesReceived += frame.wireBytes();
		this.metrics.traffic("tcp", Direction.OUTBOUND, upstream(listener).tag(), 0, frame.wireBytes(), 0, 1);
		String remote = link.remote;
		this.recorder.record(listener, frame.payload(), (remote != null) ? remote : "upstream", connectionId);
		Recording recording = listener.recording;
		if (recording != null) {
			recording.upstream(connectionId, frame.payload());
		}
		try {
			new ClientWire(client.connection, this.metrics, listener::wakeUp).write(listener.frame(frame.payload()),
					true);
		}
		catch (IOException ex) {
			link.close();
		}
	}

	private void upstreamClosed(Listener listener, Listener.Client client, ProxyLink link) {
		if (link.factory == null) {
			// the connect attempt failed: reported where it failed
			return;
		}
		synchronized (link) {
			if (link.remote == null) {
				return;
			}
			this.metrics.connectionClosed("tcp", Direction.OUTBOUND);
			this.audit.record("listener.proxy.close", upstream(listener).tag(), link.remote, link.bytesSent,
					link.bytesReceived, "ok", (System.nanoTime() - link.openedNanos) / 1_000_000);
			link.remote = null;
		}
		// The upstream hung up: so does the client, after what was relayed.
		client.connection.close();
		TcpNetClientConnectionFactory factory = link.factory;
		if (factory != null) {
			this.executor.execute(factory::stop);
		}
	}

	/**
	 * A TCP client went away: its upstream connection closes too.
	 * @param listener the proxy listener
	 * @param client the client
	 */
	void closed(Listener listener, Listener.Client client) {
		Recording recording = listener.recording;
		if (recording != null) {
			recording.closed(client.connection.getConnectionId());
		}
		ProxyLink link = client.upstream;
		if (link != null) {
			link.close();
		}
	}

	/**
	 * Relays one datagram upstream from the sender's own upstream socket, whose answers
	 * go back to the sender.
	 * @param listener the proxy listener
	 * @param peer the sender
	 * @param from the sender as {@code ip:port}
	 * @param payload the datagram
	 */
	void datagram(Listener listener, Listener.UdpPeer peer, String from, byte[] payload) {
		Recording recording = listener.recording;
		if (recording != null) {
			recording.client(from, payload);
		}
		ResolvedTarget target = upstream(listener);
		DatagramSocket socket = peer.upstream;
		if (socket == null) {
			synchronized (peer) {
				socket = peer.upstream;
				if (socket == null) {
					socket = openUdp(listener, peer, from, target);
					if (socket == null) {
						return;
					}
				}
			}
		}
		try {
			socket.send(new DatagramPacket(payload, payload.length));
			this.metrics.traffic("udp", Direction.OUTBOUND, target.tag(), payload.length, 0, 1, 0);
		}
		catch (IOException ex) {
			this.metrics.failure("udp", "refused", target.tag());
		}
	}

	private @Nullable DatagramSocket openUdp(Listener listener, Listener.UdpPeer peer, String from,
			ResolvedTarget target) {
		// Plain java.net: Spring Integration's UDP adapters bind one port each and have
		// no connected per-peer socket that hears only the upstream.
		DatagramSocket socket;
		try {
			socket = new DatagramSocket(new InetSocketAddress(listener.bindAddress, 0));
			socket.connect(new InetSocketAddress(target.addresses().get(0), target.port()));
		}
		catch (IOException ex) {
			this.metrics.failure("udp", "refused", target.tag());
			return null;
		}
		peer.upstream = socket;
		String remote = Addresses.format(target.addresses().get(0), target.port());
		DatagramSocket bound = socket;
		this.executor.execute(() -> relayUdp(listener, peer, from, bound, remote, target.tag()));
		return socket;
	}

	private void relayUdp(Listener listener, Listener.UdpPeer peer, String from, DatagramSocket socket, String remote,
			String tag) {
		byte[] buffer = new byte[65535];
		while (!socket.isClosed() && !listener.closed) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				socket.receive(packet);
			}
			catch (SocketException ex) {
				if (socket.isClosed() || listener.closed) {
					return;
				}
				// ICMP port unreachable from the upstream: keep listening
				continue;
			}
			catch (IOException ex) {
				return;
			}
			byte[] payload = Arrays.copyOfRange(packet.getData(), packet.getOffset(),
					packet.getOffset() + packet.getLength());
			this.metrics.traffic("udp", Direction.OUTBOUND, tag, 0, payload.length, 0, 1);
			this.recorder.record(listener, payload, remote, null);
			Recording recording = listener.recording;
			if (recording != null) {
				recording.upstream(from, payload);
			}
			DatagramSocket out = listener.udpSocket;
			if (out != null) {
				try {
					out.send(new DatagramPacket(payload, payload.length, peer.address));
					this.metrics.traffic("udp", Direction.INBOUND, ListenerTraffic.TAG, payload.length, 0, 1, 0);
				}
				catch (IOException ex) {
					// the sender is gone; its next datagram tries again
				}
			}
		}
	}

	/**
	 * Closes a deleted listener's upstream sockets.
	 * @param listener the listener
	 */
	void stop(Listener listener) {
		for (Listener.UdpPeer peer : listener.udpPeers.values()) {
			DatagramSocket socket = peer.upstream;
			if (socket != null) {
				socket.close();
			}
		}
		for (Listener.Client client : listener.tcpClients.values()) {
			ProxyLink link = client.upstream;
			if (link != null) {
				link.close();
			}
		}
	}

}
