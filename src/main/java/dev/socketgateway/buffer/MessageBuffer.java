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

	public MessageBuffer(int capacity) {
		this.ring = new ReceivedMessage[capacity];
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
		this.lock.lock();
		try {
			this.lastSeq++;
			message = new ReceivedMessage(this.lastSeq, Instant.now().truncatedTo(ChronoUnit.MILLIS), payload, from,
					connectionId, rule);
			this.ring[(int) ((this.lastSeq - 1) % this.ring.length)] = message;
			if (this.size == this.ring.length) {
				this.evicted++;
				dropped = 1;
			}
			else {
				this.size++;
			}
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		notifySubscribers();
		return new Appended(message, dropped);
	}

	/**
	 * Marks the buffer closed: waiting readers return and streams end.
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
		notifySubscribers();
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
