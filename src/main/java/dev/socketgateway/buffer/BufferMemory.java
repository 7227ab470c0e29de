package dev.socketgateway.buffer;

import java.time.Instant;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import dev.socketgateway.GatewayProperties;
import dev.socketgateway.metrics.GatewayMetrics;

/**
 * The byte budget of all message buffers together
 * ({@code gateway.limits.max-buffer-memory}, default a quarter of the heap): over it,
 * closed buffers give up their messages first, then the oldest message anywhere goes.
 * Every eviction is counted in the buffer's {@code dropped} and in
 * {@code gateway.buffer.dropped}.
 */
@Component
public class BufferMemory {

	/** What a message costs beyond its payload: objects, timestamp, sender text. */
	static final int OVERHEAD_BYTES = 128;

	private final long budget;

	private final int maxMessages;

	private final long maxBytesPerBuffer;

	private final GatewayMetrics metrics;

	private final AtomicLong used = new AtomicLong();

	private final Set<MessageBuffer> buffers = ConcurrentHashMap.newKeySet();

	private final Queue<MessageBuffer> closed = new ConcurrentLinkedQueue<>();

	BufferMemory(GatewayProperties properties, GatewayMetrics metrics, MeterRegistry registry) {
		this.budget = budget(properties.limits().maxBufferMemory());
		this.maxMessages = properties.limits().maxBufferedMessages();
		this.maxBytesPerBuffer = properties.limits().maxBufferedBytes().toBytes();
		this.metrics = metrics;
		Gauge.builder(GatewayMetrics.BUFFER_BYTES, this.used, AtomicLong::get)
			.description("received bytes held by all session and listener buffers")
			.register(registry);
		Gauge.builder(GatewayMetrics.BUFFER_BYTES_MAX, this, (memory) -> memory.budget)
			.description("gateway.limits.max-buffer-memory")
			.register(registry);
	}

	private static long budget(@Nullable DataSize configured) {
		return (configured != null) ? configured.toBytes() : Runtime.getRuntime().maxMemory() / 4;
	}

	/**
	 * A new buffer that counts against the budget.
	 * @param kind {@code connection} or {@code listener}: the tag of its evictions
	 * @return the buffer
	 */
	public MessageBuffer newBuffer(String kind) {
		MessageBuffer buffer = new MessageBuffer(this.maxMessages, this.maxBytesPerBuffer, this, kind);
		this.buffers.add(buffer);
		return buffer;
	}

	/**
	 * Bytes held now.
	 * @return the bytes
	 */
	public long used() {
		return this.used.get();
	}

	/**
	 * The budget.
	 * @return the bytes
	 */
	public long budget() {
		return this.budget;
	}

	static long cost(byte[] payload) {
		return (long) payload.length + OVERHEAD_BYTES;
	}

	/** Called by a buffer after an append, outside its lock. */
	void changed(long delta) {
		if (this.used.addAndGet(delta) > this.budget) {
			reclaim();
		}
	}

	/** Called by a buffer after an eviction, outside its lock. */
	void released(long bytes) {
		this.used.addAndGet(-bytes);
	}

	void closed(MessageBuffer buffer) {
		if (this.buffers.contains(buffer)) {
			this.closed.add(buffer);
		}
	}

	void forget(MessageBuffer buffer) {
		this.buffers.remove(buffer);
		this.closed.remove(buffer);
	}

	// Lock order: this, then a buffer's lock; buffers call in only outside their lock.
	private synchronized void reclaim() {
		MessageBuffer retired;
		while (this.used.get() > this.budget && (retired = this.closed.poll()) != null) {
			counted(retired, retired.evictAll());
		}
		while (this.used.get() > this.budget) {
			MessageBuffer oldest = null;
			Instant oldestAt = null;
			for (MessageBuffer buffer : this.buffers) {
				Instant at = buffer.oldestAt();
				if (at != null && (oldestAt == null || at.isBefore(oldestAt))) {
					oldest = buffer;
					oldestAt = at;
				}
			}
			if (oldest == null) {
				return;
			}
			counted(oldest, oldest.evictOldest());
		}
	}

	private void counted(@Nullable MessageBuffer buffer, long evicted) {
		if (buffer != null && evicted > 0) {
			this.metrics.dropped(buffer.kind(), evicted);
		}
	}

}
