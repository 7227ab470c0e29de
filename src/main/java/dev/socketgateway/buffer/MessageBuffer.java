package dev.socketgateway.buffer;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * A fixed-size ring of received messages: appending never blocks (a full ring evicts its
 * oldest message and counts it), reads never remove, and readers can wait for news.
 */
public final class MessageBuffer {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final ReceivedMessage[] ring;

	private final List<Runnable> subscribers = new CopyOnWriteArrayList<>();

	private long lastSeq;

	private long evicted;

	private int size;

	private boolean closed;

	private long bytes;

	private final long maxBytes;

	private final @Nullable BufferMemory memory;

	private final String kind;

	/**
	 * A buffer capped by count only, outside the memory budget.
	 * @param capacity most messages kept
	 */
	public MessageBuffer(int capacity) {
		this(capacity, Long.MAX_VALUE, null, "connection");
	}

	MessageBuffer(int capacity, long maxBytes, @Nullable BufferMemory memory, String kind) {
		this.ring = new ReceivedMessage[capacity];
		this.maxBytes = maxBytes;
		this.memory = memory;
		this.kind = kind;
	}

	/**
	 * Appends a message, evicting the oldest when full.
	 * @param payload the bytes
	 * @param from the sender, if known
	 * @param connectionId the client connection, if any
	 * @return the appended message and how many were evicted to make room (0 or 1)
	 */
	public Appended append(byte[] payload, @Nullable String from, @Nullable String connectionId) {
		return append(payload, from, connectionId, null);
	}

	/**
	 * Appends a message a listener rule answered, evicting the oldest when full.
	 * @param payload the bytes
	 * @param from the sender, if known
	 * @param connectionId the client connection, if any
	 * @param rule the index of the rule that answered it, if any
	 * @return the appended message and how many were evicted to make room (0 or 1)
	 */
	public Appended append(byte[] payload, @Nullable String from, @Nullable String connectionId,
			@Nullable Integer rule) {
		ReceivedMessage message;
		int dropped = 0;
		long before;
		long after;
		this.lock.lock();
		try {
			before = this.bytes;
			if (this.size == this.ring.length) {
				evictOldestLocked();
				dropped++;
			}
			this.lastSeq++;
			message = new ReceivedMessage(this.lastSeq, Instant.now().truncatedTo(ChronoUnit.MILLIS), payload, from,
					connectionId, rule);
			this.ring[(int) ((this.lastSeq - 1) % this.ring.length)] = message;
			this.size++;
			this.bytes += BufferMemory.cost(payload);
			// the per-buffer byte cap; the newest message always stays
			while (this.bytes > this.maxBytes && this.size > 1) {
				evictOldestLocked();
				dropped++;
			}
			after = this.bytes;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		if (this.memory != null) {
			this.memory.changed(after - before);
		}
		notifySubscribers();
		return new Appended(message, dropped);
	}

	/**
	 * Marks the buffer closed: waiting readers return and streams end. Its messages are
	 * the first to go when the memory budget is short.
	 */
	public void close() {
		this.lock.lock();
		try {
			this.closed = true;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		if (this.memory != null) {
			this.memory.closed(this);
		}
		notifySubscribers();
	}

	/**
	 * Drops every message and leaves the memory budget: the owner is forgotten.
	 */
	public void discard() {
		evictAll();
		if (this.memory != null) {
			this.memory.forget(this);
		}
	}

	/** Removes the oldest message; the lock is held. @return the bytes freed */
	private long evictOldestLocked() {
		int index = (int) ((this.lastSeq - this.size) % this.ring.length);
		ReceivedMessage oldest = this.ring[index];
		this.ring[index] = null;
		this.size--;
		this.evicted++;
		long cost = (oldest != null) ? BufferMemory.cost(oldest.payload()) : 0;
		this.bytes -= cost;
		return cost;
	}

	/**
	 * Evicts the oldest message, for the memory budget.
	 * @return messages evicted (0 or 1)
	 */
	long evictOldest() {
		long freed;
		this.lock.lock();
		try {
			if (this.size == 0) {
				return 0;
			}
			freed = evictOldestLocked();
		}
		finally {
			this.lock.unlock();
		}
		if (this.memory != null) {
			this.memory.released(freed);
		}
		return 1;
	}

	/**
	 * Evicts every message.
	 * @return messages evicted
	 */
	long evictAll() {
		long freed = 0;
		long count = 0;
		this.lock.lock();
		try {
			while (this.size > 0) {
				freed += evictOldestLocked();
				count++;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (this.memory != null && freed > 0) {
			this.memory.released(freed);
		}
		return count;
	}

	/**
	 * When the oldest kept message arrived.
	 * @return the time, or {@code null} when empty
	 */
	@Nullable Instant oldestAt() {
		this.lock.lock();
		try {
			if (this.size == 0) {
				return null;
			}
			ReceivedMessage oldest = this.ring[(int) ((this.lastSeq - this.size) % this.ring.length)];
			return (oldest != null) ? oldest.at() : null;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Received bytes kept now (payloads plus a per-message overhead).
	 * @return the bytes
	 */
	public long bytes() {
		this.lock.lock();
		try {
			return this.bytes;
		}
		finally {
			this.lock.unlock();
		}
	}

	String kind() {
		return this.kind;
	}

	/**
	 * Messages with {@code seq > after}, oldest first.
	 * @param after the last seq the reader has
	 * @param max most messages to return
	 * @return the slice
	 */
	public Slice read(long after, int max) {
		this.lock.lock();
		try {
			return slice(after, max);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Like {@link #read} but waits up to {@code waitMs} for at least one message, unless
	 * the buffer is closed.
	 * @param after the last seq the reader has
	 * @param max most messages to return
	 * @param waitMs longest wait
	 * @return the slice
	 * @throws InterruptedException if interrupted while waiting
	 */
	public Slice await(long after, int max, long waitMs) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
		this.lock.lock();
		try {
			while (this.lastSeq <= after && !this.closed) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					break;
				}
				this.changed.awaitNanos(left);
			}
			return slice(after, max);
		}
		finally {
			this.lock.unlock();
		}
	}

	private Slice slice(long after, int max) {
		long first = this.lastSeq - this.size + 1;
		long dropped = Math.max(0, Math.min(first - 1, this.lastSeq) - Math.max(after, 0));
		long from = Math.max(after + 1, first);
		List<ReceivedMessage> messages = new ArrayList<>();
		for (long seq = from; seq <= this.lastSeq && messages.size() < max; seq++) {
			messages.add(this.ring[(int) ((seq - 1) % this.ring.length)]);
		}
		long next = messages.isEmpty() ? after : messages.get(messages.size() - 1).seq();
		return new Slice(messages, next, dropped, this.closed);
	}

	/**
	 * The seq of the newest message (0 when none yet).
	 * @return the seq
	 */
	public long lastSeq() {
		this.lock.lock();
		try {
			return this.lastSeq;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Messages evicted so far.
	 * @return the count
	 */
	public long evicted() {
		this.lock.lock();
		try {
			return this.evicted;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Runs a callback after each append and on close; it must not block.
	 * @param subscriber the callback
	 */
	public void subscribe(Runnable subscriber) {
		this.subscribers.add(subscriber);
	}

	public void unsubscribe(Runnable subscriber) {
		this.subscribers.remove(subscriber);
	}

	private void notifySubscribers() {
		for (Runnable subscriber : this.subscribers) {
			subscriber.run();
		}
	}

	/**
	 * An append's outcome.
	 *
	 * @param message the stored message
	 * @param dropped messages evicted to make room
	 */
	public record Appended(ReceivedMessage message, int dropped) {
	}

	/**
	 * A read's outcome.
	 *
	 * @param messages the messages, oldest first
	 * @param next the last returned seq, or {@code after} when none
	 * @param dropped messages with {@code seq > after} evicted before they were read
	 * @param closed whether the buffer is closed
	 */
	public record Slice(List<ReceivedMessage> messages, long next, long dropped, boolean closed) {
	}

}
