package dev.socketgateway.listener;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;
import org.springframework.integration.context.IntegrationContextUtils;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.dsl.context.IntegrationFlowContext.IntegrationFlowRegistration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.SocketExecutors;
import dev.socketgateway.buffer.BufferMemory;
import dev.socketgateway.egress.Protocol;
import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.listener.rules.RuleBook;
import dev.socketgateway.metrics.AuditLog;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.payload.QuietJoiner;
import dev.socketgateway.registry.Registry;

/**
 * Starts, finds, lists and stops TCP and UDP listeners, and sends to their clients; the
 * serving itself is {@link TcpListenerServer}'s and {@link UdpListenerServer}'s.
 */
@Service
class ListenerService implements SmartLifecycle {

	private final Registry<Listener> listeners;

	private final ListenersHealthIndicator health;

	private final GatewayProperties properties;

	private final BufferMemory memory;

	private final GatewayMetrics metrics;

	private final AuditLog audit;

	private final ListenerPorts ports;

	private final TcpListenerServer tcp;

	private final UdpListenerServer udp;

	/** Times rule answers' delays and drips; its tasks only hand over to the executor. */
	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "sg-listener-timer");
		thread.setDaemon(true);
		return thread;
	});

	private final ListenerProxy proxy;

	private volatile boolean running;

	ListenerService(IntegrationFlowContext flows, GatewayProperties properties, GatewayMetrics metrics, AuditLog audit,
			SslBundles bundles, @Qualifier(SocketExecutors.SOCKET_EXECUTOR) TaskExecutor executor,
			BeanFactory beanFactory, BufferMemory memory,
			@Qualifier(IntegrationContextUtils.TASK_SCHEDULER_BEAN_NAME) TaskScheduler scheduler) {
		this.memory = memory;
		this.properties = properties;
		this.metrics = metrics;
		this.audit = audit;
		this.listeners = new Registry<>("listener", properties.limits().closedRetention());
		this.health = new ListenersHealthIndicator(this.listeners);
		this.ports = new ListenerPorts(properties.listeners());
		ListenerTraffic traffic = new ListenerTraffic(metrics);
		ListenerAnswers answers = new ListenerAnswers(this.timer, executor, metrics);
		QuietJoiner.Timer quiet = QuietJoiner.timer(scheduler, executor);
		this.proxy = new ListenerProxy(executor, beanFactory, metrics, audit, properties, traffic::upstream, quiet);
		this.tcp = new TcpListenerServer(flows, properties, traffic, this.health, bundles, executor, beanFactory,
				answers, this.proxy, quiet);
		this.udp = new UdpListenerServer(flows, traffic, this.health, executor, answers, this.proxy,
				properties.limits().maxListenerClients());
	}

	/**
	 * Checks a request and starts the listener.
	 * @param protocol tcp or udp
	 * @param port the port, 0 for any
	 * @param bindAddress the address
	 * @param framing TCP framing
	 * @param sendFraming TCP framing of writes, or {@code null} for {@code framing}
	 * @param mode capture, echo, rules or proxy
	 * @param rules rules mode: the compiled rules
	 * @param upstream proxy mode: the upstream, as the policy checked it
	 * @param greeting TCP greeting
	 * @param tls serve TLS
	 * @param idleMs TCP with {@code raw} framing: quiet time that ends a received message
	 * @return the started listener
	 */
	Listener create(Protocol protocol, int port, String bindAddress, Framing framing, @Nullable Framing sendFraming,
			ListenerMode mode, @Nullable RuleBook rules, @Nullable ResolvedTarget upstream, @Nullable String greeting,
			boolean tls, int idleMs) {
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
		if (!this.listeners.reserve(limit)) {
			throw new GatewayException(ErrorCode.LIMIT_EXCEEDED,
					limit + " listeners are running (gateway.limits.max-listeners): delete one first", null,
					Map.of("limit", limit), 1L);
		}
		long start = System.nanoTime();
		Listener listener = new Listener(UUID.randomUUID().toString(), this.listeners.nextOrdinal(), protocol,
				bindAddress, mode, rules, upstream, (protocol == Protocol.TCP) ? framing : null,
				(greeting != null) ? greeting.getBytes(StandardCharsets.UTF_8) : null,
				this.properties.limits().maxBufferedMessages(), this.properties.limits().maxBufferedBytes().toBytes(),
				this.memory.newBuffer("listener"));
		listener.idleMs = idleMs;
		if (protocol == Protocol.TCP && sendFraming != null && !sendFraming.equals(framing)) {
			listener.sendFraming = sendFraming;
		}
		try {
			if (protocol == Protocol.TCP) {
				this.tcp.start(listener, port, (tls && bundle != null) ? bundle : null);
			}
			else {
				this.udp.start(listener, port);
			}
		}
		catch (RuntimeException ex) {
			this.listeners.release();
			IntegrationFlowRegistration registration = listener.registration;
			if (registration != null) {
				registration.destroy();
			}
			this.audit.record("listener.create", protocol.value(), bindAddress + ":" + port, 0, 0,
					(ex instanceof GatewayException gateway) ? gateway.code().name() : "error", 0);
			throw ex;
		}
		this.listeners.add(listener);
		this.metrics.listeners(protocol.value(), 1);
		this.audit.record("listener.create", listener.id, bindAddress + ":" + listener.port, 0, 0, "ok",
				(System.nanoTime() - start) / 1_000_000);
		return listener;
	}

	/**
	 * Sends to one client of a listener.
	 * @param listener the listener
	 * @param to a TCP connection id or a UDP sender's {@code ip:port}
	 * @param payload the bytes
	 * @return wire bytes sent
	 */
	long sendTo(Listener listener, String to, byte[] payload) {
		return sendTo(listener, to, payload, false);
	}

	/**
	 * Sends to one client of a listener, then closes a TCP client when asked.
	 * @param listener the listener
	 * @param to a TCP connection id or a UDP sender's {@code ip:port}
	 * @param payload the bytes
	 * @param close whether to close the TCP client once the bytes are written
	 * @return wire bytes sent
	 */
	long sendTo(Listener listener, String to, byte[] payload, boolean close) {
		if (listener.closed) {
			throw closed(listener);
		}
		if (listener.protocol == Protocol.TCP) {
			Framing framing = listener.writeFraming();
			if (payload.length > framing.maxPayloadLength()) {
				throw GatewayException.invalidField("payload", "is " + payload.length + " bytes; " + framing.value()
						+ " framing carries at most " + framing.maxPayloadLength() + " bytes");
			}
			Listener.Client client = listener.tcpClients.get(to);
			if (client == null) {
				throw unknownClient(listener, to);
			}
			long sent = this.tcp.send(listener, client.connection, payload);
			if (close) {
				client.connection.close();
			}
			return sent;
		}
		InetSocketAddress sender = listener.udpSenders.get(to);
		if (sender == null) {
			throw unknownClient(listener, to);
		}
		return this.udp.send(listener, sender, payload);
	}

	/**
	 * Closes one TCP client of a listener.
	 * @param listener the listener
	 * @param connectionId the client's connection id
	 */
	void closeClient(Listener listener, String connectionId) {
		Listener.Client client = (listener.protocol == Protocol.TCP) ? listener.tcpClients.get(connectionId) : null;
		if (client == null) {
			throw unknownClient(listener, connectionId);
		}
		client.connection.close();
	}

	private static GatewayException unknownClient(Listener listener, String to) {
		return new GatewayException(ErrorCode.CONNECTION_NOT_FOUND, "listener " + listener.id + " has no client '" + to
				+ "': use a connectionId (TCP) or the ip:port of a UDP sender from GET .../messages");
	}

	static GatewayException closed(Listener listener) {
		return new GatewayException(ErrorCode.CONNECTION_CLOSED, "listener " + listener.id + " is closed");
	}

	/**
	 * Finds a listener, running or still retained.
	 * @param id the id
	 * @return the listener
	 */
	Listener get(String id) {
		Listener listener = this.listeners.find(id);
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
		// raw messages still waiting for quiet go in before the buffer closes
		listener.tcpReaders.values().forEach(Listener.Client::endMessage);
		listener.buffer.close();
		this.listeners.release();
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
	Registry.Page<Listener> page(long afterOrdinal, int limit, @Nullable String state) {
		return this.listeners.page(afterOrdinal, limit, state);
	}

	/**
	 * The health component that reports listeners and failed binds.
	 * @return the indicator
	 */
	ListenersHealthIndicator health() {
		return this.health;
	}

	@Override
	public void start() {
		this.listeners.startSweeping(100, TcpListenerServer::forgetClosedReaders);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		for (Listener listener : this.listeners.all()) {
			try {
				delete(listener);
			}
			catch (RuntimeException ex) {
				// shutting down anyway
			}
		}
		this.listeners.stopSweeping();
		this.timer.shutdownNow();
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
