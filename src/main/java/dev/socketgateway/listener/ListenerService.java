package dev.socketgateway.listener;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.dsl.context.IntegrationFlowContext.IntegrationFlowRegistration;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.integration.ip.dsl.Tcp;
import org.springframework.integration.ip.dsl.Udp;
import org.springframework.integration.ip.tcp.connection.DefaultTcpNioSSLConnectionSupport;
import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.ip.tcp.connection.TcpConnectionCloseEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionOpenEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionServerExceptionEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionServerListeningEvent;
import org.springframework.integration.ip.tcp.connection.TcpMessageMapper;
import org.springframework.integration.ip.udp.inbound.UnicastReceivingChannelAdapter;
import org.springframework.integration.IntegrationMessageHeaderAccessor;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Service;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.SocketExecutors;
import dev.socketgateway.metrics.AuditLog;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.metrics.GatewayMetrics.Direction;
import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.listener.rules.Plan;
import dev.socketgateway.listener.rules.RuleBook;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.FrameCodec;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.session.MessageBuffer;
import dev.socketgateway.egress.Protocol;
import dev.socketgateway.egress.Addresses;

/**
 * Starts and stops TCP and UDP listeners as dynamic Spring Integration flows, records
 * what their clients send, echoes it back in echo mode, and answers clients on request.
 */
@Service
class ListenerService implements SmartLifecycle {

	/** The {@code target} tag of listener traffic: never a host or port. */
	static final String TAG = "listener";

	private final Map<String, Listener> listeners = new ConcurrentHashMap<>();

	private final ListenersHealthIndicator health = new ListenersHealthIndicator(this.listeners);

	private final ConcurrentSkipListMap<Long, Listener> byOrdinal = new ConcurrentSkipListMap<>();

	private final AtomicLong ordinals = new AtomicLong();

	private final AtomicInteger open = new AtomicInteger();

	private final IntegrationFlowContext flows;

	private final GatewayProperties properties;

	private final GatewayMetrics metrics;

	private final AuditLog audit;

	private final SslBundles bundles;

	private final TaskExecutor executor;

	private final ListenerPorts ports;

	private final BeanFactory beanFactory;

	private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "sg-listener-sweeper");
		thread.setDaemon(true);
		return thread;
	});

	private final ListenerAnswers answers;

	private final ListenerProxy proxy;

	private volatile boolean running;

	ListenerService(IntegrationFlowContext flows, GatewayProperties properties, GatewayMetrics metrics, AuditLog audit,
			SslBundles bundles, @Qualifier(SocketExecutors.SOCKET_EXECUTOR) TaskExecutor executor,
			BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
		this.flows = flows;
		this.properties = properties;
		this.metrics = metrics;
		this.audit = audit;
		this.bundles = bundles;
		this.executor = executor;
		this.ports = new ListenerPorts(properties.listeners());
		// The sweeper's thread also times rule answers: its tasks only hand over to the
		// socket executor.
		this.answers = new ListenerAnswers(this.sweeper, executor, metrics);
		this.proxy = new ListenerProxy(executor, beanFactory, metrics, audit, properties, this::recordUpstream);
	}

	/**
	 * Checks a request and starts the listener.
	 * @param protocol tcp or udp
	 * @param port the port, 0 for any
	 * @param bindAddress the address
	 * @param framing TCP framing
	 * @param mode capture, echo, rules or proxy
	 * @param rules rules mode: the compiled rules
	 * @param upstream proxy mode: the checked upstream
	 * @param greeting TCP greeting
	 * @param tls serve TLS
	 * @return the started listener
	 */
	Listener create(Protocol protocol, int port, String bindAddress, Framing framing, ListenerMode mode,
			@Nullable RuleBook rules, @Nullable ResolvedTarget upstream, @Nullable String greeting, boolean tls) {
		String bundle = this.properties.tls().serverBundle();
		if (tls && (protocol != Protocol.TCP || bundle == null)) {
			throw GatewayException.invalidField("tls", (protocol != Protocol.TCP) ? "TLS listeners are TCP only"
					: "no server bundle is configured: set gateway.tls.server-bundle to a spring.ssl.bundle name");
		}
		if (greeting != null && protocol != Protocol.TCP) {
			throw GatewayException.invalidField("greeting", "only TCP listeners greet their clients");
		}
		this.ports.check(bindAddress, port);
		int limit = this.properties.limits().maxListeners();
		if (this.open.incrementAndGet() > limit) {
			this.open.decrementAndGet();
			throw new GatewayException(ErrorCode.LIMIT_EXCEEDED,
					limit + " listeners are running (gateway.limits.max-listeners): delete one first", null,
					Map.of("limit", limit), 1L);
		}
		long start = System.nanoTime();
		long ordinal = this.ordinals.incrementAndGet();
		Listener listener = new Listener(UUID.randomUUID().toString(), ordinal, protocol, bindAddress, mode, rules,
				upstream, (protocol == Protocol.TCP) ? framing : null,
				(greeting != null) ? greeting.getBytes(StandardCharsets.UTF_8) : null,
				this.properties.limits().maxBufferedMessages());
		try {
			if (protocol == Protocol.TCP) {
				startTcp(listener, port, (tls && bundle != null) ? bundle : null);
			}
			else {
				startUdp(listener, port);
			}
		}
		catch (RuntimeException ex) {
			this.open.decrementAndGet();
			IntegrationFlowRegistration registration = listener.registration;
			if (registration != null) {
				registration.destroy();
			}
			this.audit.record("listener.create", protocol.value(), bindAddress + ":" + port, 0, 0,
					(ex instanceof GatewayException gateway) ? gateway.code().name() : "error", 0);
			throw ex;
		}
		this.listeners.put(listener.id, listener);
		this.byOrdinal.put(ordinal, listener);
		this.metrics.listeners(protocol.value(), 1);
		this.audit.record("listener.create", listener.id, bindAddress + ":" + listener.port, 0, 0, "ok",
				(System.nanoTime() - start) / 1_000_000);
		return listener;
	}

	private void startTcp(Listener listener, int port, @Nullable String bundle) {
		ListenerServerFactory factory = new ListenerServerFactory(port);
		listener.server = factory;
		factory.setLocalAddress(listener.bindAddress);
		// Not a bean of its own (it gets our event publisher), but it needs the task
		// scheduler.
		factory.setBeanFactory(this.beanFactory);
		int frameLimit = this.properties.limits().frameLimit();
		Framing framing = (listener.framing != null) ? listener.framing : Framing.CRLF;
		FrameCodec codec = framing.isRaw() ? Framing.rawChunkCodec(frameLimit) : framing.codec(frameLimit);
		// Writes go out as they are: the listener frames them itself, so that a rule can
		// drip one frame in pieces.
		listener.codec = codec;
		factory.setSerializer(ListenerProxy.AS_IS);
		factory.setDeserializer(codec);
		factory.setSoTcpNoDelay(true);
		factory.setTaskExecutor(this.executor);
		TcpMessageMapper mapper = new TcpMessageMapper();
		// Numbers each client's messages in wire order, for the resequencer.
		mapper.setApplySequence(true);
		factory.setMapper(mapper);
		if (bundle != null) {
			factory.setTcpNioConnectionSupport(new DefaultTcpNioSSLConnectionSupport(() -> sslContext(bundle), false));
		}
		AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
		CountDownLatch bound = new CountDownLatch(1);
		factory.setApplicationEventPublisher(new ApplicationEventPublisher() {

			@Override
			public void publishEvent(ApplicationEvent event) {
				onTcpEvent(listener, event, failure, bound);
			}

			@Override
			public void publishEvent(Object event) {
				if (event instanceof ApplicationEvent applicationEvent) {
					publishEvent(applicationEvent);
				}
			}

		});
		IntegrationFlow flow = IntegrationFlow.from(Tcp.inboundAdapter(factory))
			.handle((Message<?> message) -> onTcpMessage(listener, message))
			.get();
		listener.registration = this.flows.registration(flow).id("listener-" + listener.id).register();
		try {
			// The factory binds on its own thread and tells us through its events.
			bound.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Throwable cause = failure.get();
		if (cause != null || !factory.isListening()) {
			throw bindFailure(listener.bindAddress, port, cause);
		}
		listener.port = factory.getPort();
	}

	private static void sleepBriefly() {
		try {
			Thread.sleep(5);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private javax.net.ssl.SSLContext sslContext(String bundle) {
		try {
			return this.bundles.getBundle(bundle).createSslContext();
		}
		catch (NoSuchSslBundleException ex) {
			throw GatewayException.invalidField("tls",
					"SSL bundle '" + bundle + "' (gateway.tls.server-bundle) is not configured");
		}
	}

	private GatewayException bindFailure(String address, int port, @Nullable Throwable cause) {
		this.health.bindFailed(address + ":" + port, (cause != null) ? String.valueOf(cause.getMessage()) : "in use");
		Throwable current = cause;
		while (current != null && !(current instanceof BindException)) {
			current = current.getCause();
		}
		if (current != null || cause == null) {
			return new GatewayException(ErrorCode.PORT_IN_USE, address + ":" + port
					+ " is already bound by another listener or process: pick another port, or 0 for any free one",
					cause);
		}
		return new GatewayException(ErrorCode.PORT_IN_USE,
				"could not bind " + address + ":" + port + ": " + cause.getMessage(), cause);
	}

	private void onTcpEvent(Listener listener, ApplicationEvent event, AtomicReference<@Nullable Throwable> failure,
			CountDownLatch bound) {
		if (event instanceof TcpConnectionServerListeningEvent) {
			bound.countDown();
		}
		else if (event instanceof TcpConnectionServerExceptionEvent serverException) {
			failure.compareAndSet(null, serverException.getCause());
			bound.countDown();
		}
		else if (event instanceof TcpConnectionOpenEvent opened && opened.getSource() instanceof TcpConnection c) {
			if (listener.closed || listener.tcpClients.size() >= this.properties.limits().maxListenerClients()) {
				c.close();
				return;
			}
			String from = Addresses.format(new InetSocketAddress(c.getHostAddress(), c.getPort()));
			Listener.Client client = new Listener.Client(c, from);
			listener.tcpClients.put(c.getConnectionId(), client);
			this.metrics.connectionOpened("tcp", Direction.INBOUND, TAG);
			if (listener.mode == ListenerMode.PROXY) {
				this.proxy.opened(listener, client);
			}
			byte[] greeting = listener.greeting;
			if (greeting != null) {
				this.executor.execute(() -> send(listener, c, greeting));
			}
		}
		else if (event instanceof TcpConnectionCloseEvent closed) {
			Listener.Client client = listener.tcpClients.remove(closed.getConnectionId());
			if (client != null) {
				this.metrics.connectionClosed("tcp", Direction.INBOUND);
				if (listener.mode == ListenerMode.PROXY) {
					this.proxy.closed(listener, client);
				}
			}
		}
	}

	private void onTcpMessage(Listener listener, Message<?> message) {
		String connectionId = (String) message.getHeaders().get(IpHeaders.CONNECTION_ID);
		Listener.Client client = (connectionId != null) ? listener.tcpClients.get(connectionId) : null;
		if (client == null) {
			return;
		}
		Number sequence = (Number) message.getHeaders().get(IntegrationMessageHeaderAccessor.SEQUENCE_NUMBER);
		client.inOrder((sequence != null) ? sequence.longValue() : 0, message, (m) -> {
			Frame frame = (Frame) m.getPayload();
			if (listener.mode == ListenerMode.RULES) {
				Plan plan = this.answers.decide(listener, frame.payload());
				record(listener, frame.payload(), client.from, connectionId, "tcp", frame.wireBytes(), plan.rule());
				this.answers.play(listener, client, plan);
				return;
			}
			record(listener, frame.payload(), client.from, connectionId, "tcp", frame.wireBytes(), null);
			if (listener.mode == ListenerMode.PROXY) {
				this.proxy.fromClient(listener, client, frame.payload());
			}
			else if (listener.echo) {
				send(listener, client.connection, frame.payload());
			}
		});
	}

	private void record(Listener listener, byte[] payload, String from, @Nullable String connectionId, String protocol,
			long wireBytes, @Nullable Integer rule) {
		MessageBuffer.Appended appended = listener.buffer.append(payload, from, connectionId, rule);
		this.metrics.traffic(protocol, Direction.INBOUND, TAG, 0, wireBytes, 0, 1);
		if (appended.dropped() > 0) {
			this.metrics.dropped("listener", appended.dropped());
		}
	}

	private void recordUpstream(Listener listener, byte[] payload, String from, @Nullable String connectionId) {
		MessageBuffer.Appended appended = listener.buffer.append(payload, from, connectionId, null);
		if (appended.dropped() > 0) {
			this.metrics.dropped("listener", appended.dropped());
		}
	}

	private long send(Listener listener, TcpConnection connection, byte[] payload) {
		Framing framing = (listener.framing != null) ? listener.framing : Framing.CRLF;
		try {
			connection.send(MessageBuilder.withPayload(listener.frame(payload)).build());
		}
		catch (RuntimeException ex) {
			throw new GatewayException(ErrorCode.CONNECTION_CLOSED,
					"client " + connection.getConnectionId() + " went away while sending: " + ex.getMessage(), ex);
		}
		long wire = framing.wireBytes(payload.length);
		this.metrics.traffic("tcp", Direction.INBOUND, TAG, wire, 0, 1, 0);
		return wire;
	}

	private void startUdp(Listener listener, int port) {
		if (port != 0) {
			// The adapter binds on its own thread and only logs a failure: probe first.
			try (DatagramSocket probe = new DatagramSocket(null)) {
				probe.bind(new InetSocketAddress(InetAddress.getByName(listener.bindAddress), port));
			}
			catch (IOException ex) {
				throw bindFailure(listener.bindAddress, port, ex);
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
			sleepBriefly();
		}
		DatagramSocket socket = adapter.getSocket();
		if (!adapter.isListening() || socket == null) {
			throw bindFailure(listener.bindAddress, port, null);
		}
		listener.udpSocket = socket;
		listener.port = socket.getLocalPort();
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
			Listener.UdpPeer peer = listener.udpPeers.get(from);
			if (peer == null && listener.udpPeers.size() < this.properties.limits().maxListenerClients()) {
				peer = listener.udpPeers.computeIfAbsent(from, (key) -> new Listener.UdpPeer(sender));
			}
			Plan plan = (listener.mode == ListenerMode.RULES) ? this.answers.decide(listener, payload) : Plan.NONE;
			record(listener, payload, from, null, "udp", payload.length, plan.rule());
			if (peer != null && listener.mode == ListenerMode.RULES) {
				this.answers.play(listener, peer, plan);
			}
			else if (peer != null) {
				this.proxy.datagram(listener, peer, from, payload);
			}
			return;
		}
		record(listener, payload, from, null, "udp", payload.length, null);
		if (listener.echo) {
			sendDatagram(listener, sender, payload);
		}
	}

	private long sendDatagram(Listener listener, InetSocketAddress to, byte[] payload) {
		DatagramSocket socket = listener.udpSocket;
		if (socket == null || listener.closed) {
			throw closed(listener);
		}
		try {
			// The bound socket answers, so the reply comes from the port the client sent
			// to.
			socket.send(new DatagramPacket(payload, payload.length, to));
		}
		catch (IOException ex) {
			throw new GatewayException(ErrorCode.CONNECTION_REFUSED,
					"sending to " + Addresses.format(to) + " failed: " + ex.getMessage(), ex);
		}
		this.metrics.traffic("udp", Direction.INBOUND, TAG, payload.length, 0, 1, 0);
		return payload.length;
	}

	/**
	 * Sends to one client of a listener.
	 * @param listener the listener
	 * @param to a TCP connection id or a UDP sender's {@code ip:port}
	 * @param payload the bytes
	 * @return wire bytes sent
	 */
	long sendTo(Listener listener, String to, byte[] payload) {
		if (listener.closed) {
			throw closed(listener);
		}
		if (listener.protocol == Protocol.TCP) {
			Framing framing = (listener.framing != null) ? listener.framing : Framing.CRLF;
			if (payload.length > framing.maxPayloadLength()) {
				throw GatewayException.invalidField("payload", "is " + payload.length + " bytes; " + framing.value()
						+ " framing carries at most " + framing.maxPayloadLength() + " bytes");
			}
			Listener.Client client = listener.tcpClients.get(to);
			if (client == null) {
				throw unknownClient(listener, to);
			}
			return send(listener, client.connection, payload);
		}
		InetSocketAddress sender = listener.udpSenders.get(to);
		if (sender == null) {
			throw unknownClient(listener, to);
		}
		return sendDatagram(listener, sender, payload);
	}

	private static GatewayException unknownClient(Listener listener, String to) {
		return new GatewayException(ErrorCode.CONNECTION_NOT_FOUND, "listener " + listener.id + " has no client '" + to
				+ "': use a connectionId (TCP) or the ip:port of a UDP sender from GET .../messages");
	}

	private static GatewayException closed(Listener listener) {
		return new GatewayException(ErrorCode.CONNECTION_CLOSED, "listener " + listener.id + " is closed");
	}

	/**
	 * Finds a listener, running or still retained.
	 * @param id the id
	 * @return the listener
	 */
	Listener get(String id) {
		Listener listener = this.listeners.get(id);
		if (listener == null) {
			throw new GatewayException(ErrorCode.LISTENER_NOT_FOUND, "no listener '" + id
					+ "': it never existed, or it was deleted more than gateway.limits.closed-retention ago");
		}
		return listener;
	}

	/**
	 * Stops a listener, closing its clients and freeing its port.
	 * @param listener the listener
	 */
	void delete(Listener listener) {
		synchronized (listener) {
			if (listener.closed) {
				return;
			}
			listener.closed = true;
			listener.closedAtMillis = System.currentTimeMillis();
		}
		IntegrationFlowRegistration registration = listener.registration;
		if (registration != null) {
			registration.destroy();
		}
		this.proxy.stop(listener);
		for (Listener.Client client : listener.tcpClients.values()) {
			client.connection.close();
		}
		listener.buffer.close();
		this.open.decrementAndGet();
		this.metrics.listeners(listener.protocol.value(), -1);
		this.audit.record("listener.delete", listener.id, listener.bindAddress + ":" + listener.port, 0, 0, "ok",
				listener.closedAtMillis - listener.openedAt.toEpochMilli());
	}

	/**
	 * A page of listeners in creation order.
	 * @param afterOrdinal the cursor's ordinal
	 * @param limit page size
	 * @param state open, closed or null
	 * @return the page
	 */
	Page page(long afterOrdinal, int limit, @Nullable String state) {
		List<Listener> items = new ArrayList<>();
		Long next = null;
		for (Listener listener : this.byOrdinal.tailMap(afterOrdinal, false).values()) {
			if (state != null && (state.equals("open") == listener.closed)) {
				continue;
			}
			if (items.size() == limit) {
				next = items.get(items.size() - 1).ordinal;
				break;
			}
			items.add(listener);
		}
		return new Page(items, next);
	}

	/**
	 * The health component that reports listeners and failed binds.
	 * @return the indicator
	 */
	ListenersHealthIndicator health() {
		return this.health;
	}

	record Page(List<Listener> items, @Nullable Long next) {
	}

	private void sweep() {
		long retention = this.properties.limits().closedRetention().toMillis();
		long now = System.currentTimeMillis();
		for (Listener listener : this.byOrdinal.values()) {
			if (listener.closed && now - listener.closedAtMillis >= retention) {
				this.listeners.remove(listener.id);
				this.byOrdinal.remove(listener.ordinal);
			}
		}
	}

	@Override
	public void start() {
		this.sweeper.scheduleWithFixedDelay(this::sweep, 100, 100, TimeUnit.MILLISECONDS);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		for (Listener listener : this.byOrdinal.values()) {
			try {
				delete(listener);
			}
			catch (RuntimeException ex) {
				// shutting down anyway
			}
		}
		this.sweeper.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Before the web server's graceful shutdown and before Spring Integration stops
		// the flows' endpoints on its own.
		return Integer.MAX_VALUE - 100;
	}

}
