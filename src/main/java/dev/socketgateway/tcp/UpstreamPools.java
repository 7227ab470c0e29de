package dev.socketgateway.tcp;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.TaskExecutor;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.dsl.context.IntegrationFlowContext.IntegrationFlowRegistration;
import org.springframework.integration.expression.FunctionExpression;
import org.springframework.integration.ip.tcp.connection.CachingClientConnectionFactory;
import org.springframework.integration.ip.tcp.outbound.TcpOutboundGateway;
import org.springframework.messaging.Message;
import org.springframework.scheduling.annotation.Scheduled;

import dev.socketgateway.GatewayProperties;
import dev.socketgateway.SocketExecutors;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.FrameCodec;
import dev.socketgateway.payload.Framing;

/**
 * Pooled upstream connections: one Spring Integration flow (a TCP outbound gateway over a
 * caching connection factory) per resolved address, port, framing and TLS settings,
 * registered on first use and removed when idle.
 */
class UpstreamPools implements ExchangePools, DisposableBean {

	/** Header carrying the request's reply deadline in milliseconds. */
	static final String REPLY_TIMEOUT_HEADER = "sg_replyTimeoutMs";

	private final IntegrationFlowContext flows;

	private final GatewayMetrics metrics;

	private final TaskExecutor executor;

	private final ApplicationEventPublisher publisher;

	private final GatewayProperties properties;

	private final Map<PoolKey, Pool> pools = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	UpstreamPools(IntegrationFlowContext flows, GatewayMetrics metrics,
			@Qualifier(SocketExecutors.SOCKET_EXECUTOR) TaskExecutor executor, ApplicationEventPublisher publisher,
			GatewayProperties properties) {
		this.flows = flows;
		this.metrics = metrics;
		this.executor = executor;
		this.publisher = publisher;
		this.properties = properties;
	}

	@Override
	public Frame exchange(PoolKey key, byte[] payload, int replyTimeoutMs, ConnectContext context, String remote) {
		Pool pool = pool(key);
		Message<byte[]> request = MessageBuilder.withPayload(payload)
			.setHeader(REPLY_TIMEOUT_HEADER, (long) replyTimeoutMs)
			.build();
		context.bind();
		Message<?> reply;
		try {
			reply = pool.template.sendAndReceive(request);
		}
		finally {
			ConnectContext.unbind();
		}
		if (reply == null) {
			throw UpstreamFailures.replyTimeout(remote, key.framing().value(), replyTimeoutMs, null);
		}
		return (Frame) reply.getPayload();
	}

	/**
	 * The pool for a key, registering its flow on first use.
	 * @param key the pool key
	 * @return the pool
	 */
	Pool pool(PoolKey key) {
		Pool pool = this.pools.computeIfAbsent(key, this::register);
		pool.touch();
		return pool;
	}

	@Override
	public Stats stats() {
		int active = 0;
		int idle = 0;
		for (Pool pool : this.pools.values()) {
			active += pool.caching.getActiveCount();
			idle += pool.caching.getIdleCount();
		}
		return new Stats(this.pools.size(), active, idle, this.properties.pool().maxPerTarget());
	}

	private Pool register(PoolKey key) {
		UpstreamConnectionFactory factory = new UpstreamConnectionFactory(key.address(), key.port(), this.metrics,
				key.targetTag());
		FrameCodec codec = key.framing().codec(this.properties.limits().frameLimit());
		factory.setSerializer(codec);
		factory.setDeserializer(new ClientDeserializer(codec));
		factory.setTaskExecutor(this.executor);
		factory.setApplicationEventPublisher(this.publisher);
		// Idle pooled sockets time out in their reader and are evicted on next checkout.
		factory.setSoTimeout((int) this.properties.pool().idleTimeout().toMillis());
		CachingClientConnectionFactory caching = new CachingClientConnectionFactory(factory,
				this.properties.pool().maxPerTarget());
		caching.setConnectionWaitTimeout((int) this.properties.timeouts().connect().toMillis());
		caching.setApplicationEventPublisher(this.publisher);
		TcpOutboundGateway gateway = new TcpOutboundGateway();
		gateway.setConnectionFactory(caching);
		gateway.setRemoteTimeoutExpression(
				new FunctionExpression<Message<?>>((m) -> m.getHeaders().get(REPLY_TIMEOUT_HEADER, Long.class)));
		// A blocking reader delivers the reply before any close error: no need to wait 2
		// s for one.
		gateway.setSecondChanceDelay(0);
		IntegrationFlow flow = (f) -> f.handle(gateway);
		String id = "sg-pool-" + this.ids.incrementAndGet();
		IntegrationFlowRegistration registration = this.flows.registration(flow).id(id).register();
		return new Pool(id, registration.getMessagingTemplate(), caching);
	}

	@Scheduled(fixedDelayString = "${gateway.pool.eviction-interval:5s}")
	void evictIdle() {
		long idleNanos = this.properties.pool().idleTimeout().toNanos();
		long now = System.nanoTime();
		this.pools.forEach((key, pool) -> {
			if (now - pool.lastUsed > idleNanos && pool.caching.getActiveCount() == 0) {
				if (this.pools.remove(key, pool)) {
					this.flows.remove(pool.id);
				}
			}
		});
	}

	@Override
	public void destroy() {
		this.pools.forEach((key, pool) -> this.flows.remove(pool.id));
		this.pools.clear();
	}

	/**
	 * One registered flow.
	 */
	static final class Pool {

		final String id;

		final MessagingTemplate template;

		final CachingClientConnectionFactory caching;

		volatile long lastUsed = System.nanoTime();

		Pool(String id, MessagingTemplate template, CachingClientConnectionFactory caching) {
			this.id = id;
			this.template = template;
			this.caching = caching;
		}

		void touch() {
			this.lastUsed = System.nanoTime();
		}

	}

}
