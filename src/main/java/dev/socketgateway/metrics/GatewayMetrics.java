package dev.socketgateway.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * The gateway's meters: names as constants, tags bounded (a named target or
 * {@code adhoc}, never a host or port).
 */
@Component
public class GatewayMetrics implements MeterBinder {

	/** Open connections. */
	public static final String CONNECTIONS_ACTIVE = "gateway.connections.active";

	/** Connections opened. */
	public static final String CONNECTIONS_OPENED = "gateway.connections.opened";

	/** Failed connects and exchanges, by reason. */
	public static final String CONNECTION_FAILURES = "gateway.connection.failures";

	/** Wire bytes written. */
	public static final String BYTES_SENT = "gateway.bytes.sent";

	/** Wire bytes read. */
	public static final String BYTES_RECEIVED = "gateway.bytes.received";

	/** Messages written. */
	public static final String MESSAGES_SENT = "gateway.messages.sent";

	/** Messages read. */
	public static final String MESSAGES_RECEIVED = "gateway.messages.received";

	/** One-shot exchange and datagram durations. */
	public static final String EXCHANGE_DURATION = "gateway.exchange.duration";

	/** Running listeners. */
	public static final String LISTENERS_ACTIVE = "gateway.listeners.active";

	/** Buffered messages evicted by a full buffer. */
	public static final String BUFFER_DROPPED = "gateway.buffer.dropped";

	/** Conversation durations (several steps over one connection). */
	public static final String CONVERSATION_DURATION = "gateway.conversation.duration";

	/** Whether a probe's last run succeeded (1) or not (0). */
	public static final String PROBE_SUCCESS = "gateway.probe.success";

	/** How long a probe's last run took, in seconds. */
	public static final String PROBE_DURATION = "gateway.probe.duration";

	/** Probe runs, by outcome. */
	public static final String PROBE_RUNS = "gateway.probe.runs";

	/** Received bytes held by all message buffers (a DESIGN addition). */
	public static final String BUFFER_BYTES = "gateway.buffer.bytes";

	/** The budget of {@link #BUFFER_BYTES}: {@code gateway.limits.max-buffer-memory}. */
	public static final String BUFFER_BYTES_MAX = "gateway.buffer.bytes.max";

	/** Tag value for requests that name a host rather than a configured target. */
	public static final String ADHOC = "adhoc";

	private static final String[] PROTOCOLS = { "tcp", "udp" };

	private static final Duration[] SLOS = { Duration.ofNanos(250_000), Duration.ofMillis(1), Duration.ofMillis(5),
			Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(1000),
			Duration.ofMillis(2500), Duration.ofSeconds(10), Duration.ofSeconds(30) };

	private final MeterRegistry registry;

	private final Map<String, AtomicLong> active = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> listeners = new ConcurrentHashMap<>();

	private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();

	private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();

	public GatewayMetrics(MeterRegistry registry) {
		this.registry = registry;
		for (String protocol : PROTOCOLS) {
			for (Direction direction : Direction.values()) {
				this.active.put(protocol + direction.value(), new AtomicLong());
			}
			this.listeners.put(protocol, new AtomicLong());
		}
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String protocol : PROTOCOLS) {
			for (Direction direction : Direction.values()) {
				Gauge.builder(CONNECTIONS_ACTIVE, this.active.get(protocol + direction.value()), AtomicLong::get)
					.description("Open TCP connections (and UDP listener sockets)")
					.tags("protocol", protocol, "direction", direction.value())
					.register(registry);
			}
			Gauge.builder(LISTENERS_ACTIVE, this.listeners.get(protocol), AtomicLong::get)
				.description("Running listeners")
				.tags("protocol", protocol)
				.register(registry);
		}
		for (String kind : new String[] { "connection", "listener" }) {
			Counter.builder(BUFFER_DROPPED).tags("kind", kind).register(registry);
		}
	}

	/**
	 * A connection opened.
	 * @param protocol tcp or udp
	 * @param direction who opened it
	 * @param target target tag
	 */
	public void connectionOpened(String protocol, Direction direction, String target) {
		this.active.get(protocol + direction.value()).incrementAndGet();
		counter(CONNECTIONS_OPENED, "Connections opened", "protocol", protocol, "direction", direction.value(),
				"target", target)
			.increment();
	}

	/**
	 * A connection closed.
	 * @param protocol tcp or udp
	 * @param direction who opened it
	 */
	public void connectionClosed(String protocol, Direction direction) {
		this.active.get(protocol + direction.value()).decrementAndGet();
	}

	/**
	 * A connect or exchange failed.
	 * @param protocol tcp or udp
	 * @param reason one of the documented reasons
	 * @param target target tag
	 */
	public void failure(String protocol, String reason, String target) {
		counter(CONNECTION_FAILURES, "Failed connects and exchanges", "protocol", protocol, "reason", reason, "target",
				target)
			.increment();
	}

	/**
	 * Wire bytes and messages moved.
	 * @param protocol tcp or udp
	 * @param direction who opened the connection
	 * @param target target tag
	 * @param bytesSent wire bytes written
	 * @param bytesReceived wire bytes read
	 * @param messagesSent messages written
	 * @param messagesReceived messages read
	 */
	public void traffic(String protocol, Direction direction, String target, long bytesSent, long bytesReceived,
			long messagesSent, long messagesReceived) {
		String dir = direction.value();
		if (bytesSent > 0) {
			counter(BYTES_SENT, "Wire bytes written", "protocol", protocol, "direction", dir, "target", target)
				.increment(bytesSent);
		}
		if (bytesReceived > 0) {
			counter(BYTES_RECEIVED, "Wire bytes read", "protocol", protocol, "direction", dir, "target", target)
				.increment(bytesReceived);
		}
		if (messagesSent > 0) {
			counter(MESSAGES_SENT, "Messages written", "protocol", protocol, "direction", dir, "target", target)
				.increment(messagesSent);
		}
		if (messagesReceived > 0) {
			counter(MESSAGES_RECEIVED, "Messages read", "protocol", protocol, "direction", dir, "target", target)
				.increment(messagesReceived);
		}
	}

	/**
	 * A one-shot exchange or datagram finished.
	 * @param protocol tcp or udp
	 * @param target target tag
	 * @param ok whether it succeeded
	 * @param nanos how long it took
	 */
	public void exchange(String protocol, String target, boolean ok, long nanos) {
		MeterKey key = new MeterKey(EXCHANGE_DURATION, protocol, ok ? "ok" : "error", target, "", "");
		this.timers
			.computeIfAbsent(key,
					(k) -> Timer.builder(EXCHANGE_DURATION)
						.description("One-shot TCP exchanges and UDP datagrams")
						.tags("protocol", protocol, "outcome", ok ? "ok" : "error", "target", target)
						// Explicit buckets from loopback (250 us) to WAN (30 s): a dozen
						// series, not seventy.
						.serviceLevelObjectives(SLOS)
						.register(this.registry))
			.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
	}

	/**
	 * A conversation finished (connect failures included).
	 * @param protocol tcp or udp
	 * @param target target tag
	 * @param ok whether every step succeeded
	 * @param nanos how long it took
	 */
	public void conversation(String protocol, String target, boolean ok, long nanos) {
		MeterKey key = new MeterKey(CONVERSATION_DURATION, protocol, ok ? "ok" : "error", target, "", "");
		this.timers
			.computeIfAbsent(key,
					(k) -> Timer.builder(CONVERSATION_DURATION)
						.description("Conversations: several send and expect steps over one connection")
						.tags("protocol", protocol, "outcome", ok ? "ok" : "error", "target", target)
						.serviceLevelObjectives(SLOS)
						.register(this.registry))
			.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
	}

	/**
	 * A listener started or stopped.
	 * @param protocol tcp or udp
	 * @param delta +1 or -1
	 */
	public void listeners(String protocol, int delta) {
		this.listeners.get(protocol).addAndGet(delta);
	}

	/**
	 * Buffered messages evicted.
	 * @param kind connection or listener
	 * @param count how many
	 */
	public void dropped(String kind, long count) {
		this.registry.counter(BUFFER_DROPPED, "kind", kind).increment(count);
	}

	private Counter counter(String name, String description, String k1, String v1, String k2, String v2, String k3,
			String v3) {
		MeterKey key = new MeterKey(name, v1, v2, v3, "", "");
		return this.counters.computeIfAbsent(key,
				(k) -> Counter.builder(name)
					.description(description)
					.tags(k1, v1, k2, v2, k3, v3)
					.register(this.registry));
	}

	private record MeterKey(String name, String a, String b, String c, String d, String e) {
	}

	/**
	 * Who opened a connection.
	 */
	public enum Direction {

		/** The gateway opened it. */
		OUTBOUND("outbound"),
		/** A listener's client opened it. */
		INBOUND("inbound");

		private final String value;

		Direction(String value) {
			this.value = value;
		}

		public String value() {
			return this.value;
		}

	}

}
