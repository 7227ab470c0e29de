package dev.socketgateway.session;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import dev.socketgateway.buffer.MessageBuffer;
import dev.socketgateway.buffer.ReceivedMessage;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.registry.Registry;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.payload.QuietJoiner;

/**
 * One persistent TCP connection: its counters, its receive buffer, and the lock that
 * serializes sends so that a reply belongs to its request.
 */
final class Session implements Registry.Entry {

	final String id;

	final long ordinal;

	final String targetTag;

	final String remote;

	final Framing framing;

	final Instant openedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);

	final long idleTimeoutMs;

	final MessageBuffer buffer;

	final ReentrantLock sendLock = new ReentrantLock(true);

	final AtomicLong bytesSent = new AtomicLong();

	final AtomicLong bytesReceived = new AtomicLong();

	final AtomicLong messagesSent = new AtomicLong();

	final AtomicLong messagesReceived = new AtomicLong();

	final AtomicLong sendSeq = new AtomicLong();

	final AtomicReference<@Nullable CompletableFuture<ReceivedMessage>> awaiting = new AtomicReference<>();

	volatile long lastActivityMillis = System.currentTimeMillis();

	volatile @Nullable String local;

	volatile @Nullable SessionLink connection;

	volatile @Nullable String closedReason;

	/**
	 * How payloads are written when it differs from {@link #framing}; set once at open.
	 */
	volatile @Nullable Framing sendFraming;

	volatile long closedAtMillis;

	/**
	 * {@code raw} framing: joins what the reads return into messages; set once at open.
	 */
	volatile @Nullable QuietJoiner joiner;

	Session(String id, long ordinal, String targetTag, String remote, Framing framing, long idleTimeoutMs,
			MessageBuffer buffer) {
		this.id = id;
		this.ordinal = ordinal;
		this.targetTag = targetTag;
		this.remote = remote;
		this.framing = framing;
		this.idleTimeoutMs = idleTimeoutMs;
		this.buffer = buffer;
	}

	Framing writtenFraming() {
		Framing send = this.sendFraming;
		return (send != null) ? send : this.framing;
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
		return this.closedReason == null;
	}

	@Override
	public long closedAtMillis() {
		return this.closedAtMillis;
	}

	@Override
	public void forgotten() {
		this.buffer.discard();
	}

	/**
	 * Records one received frame and completes a waiting reply.
	 * @param frame the frame
	 * @return how many buffered messages were evicted
	 */
	MessageBuffer.Appended received(Frame frame) {
		this.bytesReceived.addAndGet(frame.wireBytes());
		this.messagesReceived.incrementAndGet();
		this.lastActivityMillis = System.currentTimeMillis();
		MessageBuffer.Appended appended = this.buffer.append(frame.payload(), null, null);
		CompletableFuture<ReceivedMessage> reply = this.awaiting.getAndSet(null);
		if (reply != null) {
			reply.complete(appended.message());
		}
		return appended;
	}

	Instant lastActivityAt() {
		return Instant.ofEpochMilli(this.lastActivityMillis);
	}

}
