package dev.socketgateway.listener;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.TaskExecutor;
import org.springframework.integration.IntegrationMessageHeaderAccessor;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.integration.ip.dsl.Tcp;
import org.springframework.integration.ip.tcp.connection.DefaultTcpNioSSLConnectionSupport;
import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.ip.tcp.connection.TcpConnectionCloseEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionOpenEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionServerExceptionEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionServerListeningEvent;
import org.springframework.integration.ip.tcp.connection.TcpMessageMapper;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.Message;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.egress.Addresses;
import dev.socketgateway.listener.rules.Plan;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.FrameCodec;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.payload.QuietJoiner;

/**
 * Serves TCP listeners: one Spring Integration NIO server flow each, its clients tracked
 * from the connection events, every frame they send recorded (also the ones that arrive
 * after the client closed), and echoes and greetings written back.
 */
final class TcpListenerServer {

	/**
	 * How long a closed client's late frames are still put in order. Spring Integration
	 * hands over the bytes it read before the close within its 60 s pipe timeout; later
	 * frames would still be recorded, only not reordered.
	 */
	static final long CLOSED_READER_RETENTION_MS = 120_000;

	private final IntegrationFlowContext flows;

	private final GatewayProperties properties;

	private final ListenerTraffic traffic;

	private final ListenersHealthIndicator health;

	private final SslBundles bundles;

	private final TaskExecutor executor;

	private final BeanFactory beanFactory;

	private final ListenerAnswers answers;

	private final ListenerProxy proxy;

	private final QuietJoiner.Timer quiet;

	TcpListenerServer(IntegrationFlowContext flows, GatewayProperties properties, ListenerTraffic traffic,
			ListenersHealthIndicator health, SslBundles bundles, TaskExecutor executor, BeanFactory beanFactory,
			ListenerAnswers answers, ListenerProxy proxy, QuietJoiner.Timer quiet) {
		this.quiet = quiet;
		this.answers = answers;
		this.proxy = proxy;
		this.flows = flows;
		this.properties = properties;
		this.traffic = traffic;
		this.health = health;
		this.bundles = bundles;
		this.executor = executor;
		this.beanFactory = beanFactory;
	}

	/**
	 * Binds and starts serving; sets the listener's port and registration.
	 * @param listener the listener
	 * @param port the port asked for, 0 for any
	 * @param bundle the SSL bundle to serve TLS with, or {@code null} for plain TCP
	 */
	void start(Listener listener, int port, @Nullable String bundle) {
		ListenerServerFactory factory = new ListenerServerFactory(port);
		listener.server = factory;
		factory.setLocalAddress(listener.bindAddress);
		// Not a bean of its own (it gets our event publisher), but it needs the task
		// scheduler.
		factory.setBeanFactory(this.beanFactory);
		int frameLimit = this.properties.limits().frameLimit();
		Framing framing = listener.tcpFraming();
		FrameCodec codec = framing.isRaw() ? Framing.rawChunkCodec(frameLimit) : framing.codec(frameLimit);
		// Writes go out as they are: the listener frames them itself, so that a rule can
		// drip one frame in pieces.
		listener.codec = Framing.withSend(listener.sendFraming, codec, frameLimit);
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
				onEvent(listener, event, failure, bound);
			}

			@Override
			public void publishEvent(Object event) {
				if (event instanceof ApplicationEvent applicationEvent) {
					publishEvent(applicationEvent);
				}
			}

		});
		IntegrationFlow flow = IntegrationFlow.from(Tcp.inboundAdapter(factory))
			.handle((Message<?> message) -> onMessage(listener, message))
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
			throw this.health.bindFailed(listener.bindAddress, port, cause);
		}
		listener.port = factory.getPort();
	}

	private SSLContext sslContext(String bundle) {
		try {
			return this.bundles.getBundle(bundle).createSslContext();
		}
		catch (NoSuchSslBundleException ex) {
			throw GatewayException.invalidField("tls",
					"SSL bundle '" + bundle + "' (gateway.tls.server-bundle) is not configured");
		}
	}

	private void onEvent(Listener listener, ApplicationEvent event, AtomicReference<@Nullable Throwable> failure,
			CountDownLatch bound) {
		if (event instanceof TcpConnectionServerListeningEvent) {
			bound.countDown();
		}
		else if (event instanceof TcpConnectionServerExceptionEvent serverException) {
			failure.compareAndSet(null, serverException.getCause());
			bound.countDown();
		}
		else if (event instanceof TcpConnectionOpenEvent opened && opened.getSource() instanceof TcpConnection c) {
			String from = Addresses.format(new InetSocketAddress(c.getHostAddress(), c.getPort()));
			if (listener.closed || listener.tcpClients.size() >= this.properties.limits().maxListenerClients()) {
				listener.tcpReaders.put(c.getConnectionId(), new Listener.Client(c, from, true));
				c.close();
				return;
			}
			Listener.Client client = new Listener.Client(c, from, false);
			if (listener.tcpFraming().isRaw()) {
				client.joiner = new QuietJoiner(listener.idleMs, this.properties.limits().frameLimit(), this.quiet,
						(frame) -> deliver(listener, client, frame));
			}
			listener.tcpReaders.put(c.getConnectionId(), client);
			listener.tcpClients.put(c.getConnectionId(), client);
			this.traffic.clientConnected();
			if (listener.mode == ListenerMode.PROXY) {
				this.proxy.opened(listener, client);
			}
			byte[] greeting = listener.greeting;
			if (greeting != null) {
				this.executor.execute(() -> send(listener, c, greeting));
			}
		}
		else if (event instanceof TcpConnectionCloseEvent closed) {
			// The client stays a reader: NIO reports the close before it has handed over
			// the last frames it read.
			Listener.Client client = listener.tcpReaders.get(closed.getConnectionId());
			if (client != null && client.isOpen()) {
				client.closedAtMillis = System.currentTimeMillis();
			}
			if (client != null && listener.mode == ListenerMode.PROXY) {
				// Ends a raw message now, before the proxy closes the upstream. Other
				// modes let the quiet end it: NIO may hand over the last pieces after
				// this event, and they belong to the same message.
				client.endMessage();
			}
			if (listener.tcpClients.remove(closed.getConnectionId()) != null) {
				this.traffic.clientClosed();
				if (client != null) {
					this.proxy.closed(listener, client);
				}
			}
		}
	}

	private void onMessage(Listener listener, Message<?> message) {
		String connectionId = (String) message.getHeaders().get(IpHeaders.CONNECTION_ID);
		Listener.Client client = (connectionId != null) ? listener.tcpReaders.get(connectionId) : null;
		if (client == null) {
			// Only after CLOSED_READER_RETENTION_MS: record it anyway, unordered.
			Frame frame = (Frame) message.getPayload();
			this.traffic.received(listener, frame.payload(), senderOf(message), connectionId, "tcp", frame.wireBytes());
			return;
		}
		if (client.refused) {
			this.traffic.dropped(1);
			return;
		}
		Number sequence = (Number) message.getHeaders().get(IntegrationMessageHeaderAccessor.SEQUENCE_NUMBER);
		client.inOrder((sequence != null) ? sequence.longValue() : 0, message, (m) -> {
			Frame frame = (Frame) m.getPayload();
			QuietJoiner joiner = client.joiner;
			if (joiner != null) {
				joiner.accept(frame);
			}
			else {
				deliver(listener, client, frame);
			}
		});
	}

	/**
	 * Records one client message and answers it as the mode says.
	 * @param listener the listener
	 * @param client the sender
	 * @param frame the message, in wire order
	 */
	private void deliver(Listener listener, Listener.Client client, Frame frame) {
		String connectionId = client.connection.getConnectionId();
		if (listener.mode == ListenerMode.RULES) {
			Plan plan = this.answers.decide(listener, frame.payload());
			this.traffic.received(listener, frame.payload(), client.from, connectionId, "tcp", frame.wireBytes(),
					plan.rule());
			if (client.isOpen()) {
				this.answers.play(listener, client, plan);
			}
			return;
		}
		this.traffic.received(listener, frame.payload(), client.from, connectionId, "tcp", frame.wireBytes());
		if (listener.mode == ListenerMode.PROXY) {
			this.proxy.fromClient(listener, client, frame.payload());
		}
		else if (listener.echoes() && client.isOpen()) {
			try {
				send(listener, client.connection, frame.payload());
			}
			catch (GatewayException ex) {
				// The client went away: what it sent is recorded, the echo has no
				// one to go to.
			}
		}
	}

	private static String senderOf(Message<?> message) {
		Object host = message.getHeaders().get(IpHeaders.IP_ADDRESS);
		Object port = message.getHeaders().get(IpHeaders.REMOTE_PORT);
		return Addresses.format(
				new InetSocketAddress(String.valueOf(host), (port instanceof Number number) ? number.intValue() : 0));
	}

	/**
	 * Writes one frame to a client.
	 * @param listener the listener
	 * @param connection the client's connection
	 * @param payload the bytes, without framing
	 * @return wire bytes written
	 */
	long send(Listener listener, TcpConnection connection, byte[] payload) {
		try {
			connection.send(MessageBuilder.withPayload(listener.frame(payload)).build());
		}
		catch (RuntimeException ex) {
			throw new GatewayException(ErrorCode.CONNECTION_CLOSED,
					"client " + connection.getConnectionId() + " went away while sending: " + ex.getMessage(), ex);
		}
		long wire = listener.writeFraming().wireBytes(payload.length);
		this.traffic.sent("tcp", wire);
		return wire;
	}

	/**
	 * Forgets closed clients whose late frames have had time to arrive.
	 * @param listener an open listener
	 */
	static void forgetClosedReaders(Listener listener) {
		long now = System.currentTimeMillis();
		listener.tcpReaders.values()
			.removeIf((client) -> !client.isOpen() && now - client.closedAtMillis >= CLOSED_READER_RETENTION_MS);
	}

}
