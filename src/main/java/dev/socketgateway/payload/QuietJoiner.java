package dev.socketgateway.payload;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.springframework.scheduling.TaskScheduler;

/**
 * Makes {@code raw} messages of a long-lived connection: joins the pieces its reads
 * return (one {@link Framing#rawChunkCodec} frame each) until {@code idleMs} of quiet,
 * splits at {@code maxBytes} (never drops), and ends what is pending when told the
 * connection closed.
 * <p>
 * Concurrency: pieces come from the connection's one reader in wire order, the quiet
 * timer fires on another thread, and {@link #flush()} may come from a third (a DELETE,
 * the idle sweeper). All of them hold this object's monitor while they change the pending
 * bytes and while they hand a message to the sink, so the sink gets one message at a time
 * in wire order, and a flush racing a new piece either includes it (the piece took the
 * monitor first) or leaves it to start the next message: no byte is lost or reordered.
 * The sink must not call back into its joiner.
 * <p>
 * At most one timer is outstanding: a piece only moves the deadline, and a timer that
 * fires before it re-arms for the rest, so no task is cancelled or scheduled per piece.
 */
public final class QuietJoiner {

	/** The quiet time that ends a message when a request names none. */
	public static final int DEFAULT_IDLE_MS = 50;

	/** Runs a task after a delay, on another thread. */
	@FunctionalInterface
	public interface Timer {

		void schedule(Runnable task, long delayMillis);

	}

	private final long idleNanos;

	private final int maxBytes;

	private final Timer timer;

	private final LongSupplier nanoClock;

	private final Consumer<Frame> sink;

	private ByteArrayOutputStream pending = new ByteArrayOutputStream();

	private long lastPieceNanos;

	private boolean armed;

	/**
	 * A joiner on the wall clock.
	 * @param idleMs quiet time that ends a message
	 * @param maxBytes most bytes of one message
	 * @param timer runs the quiet check
	 * @param sink receives each message
	 */
	public QuietJoiner(int idleMs, int maxBytes, Timer timer, Consumer<Frame> sink) {
		this(idleMs, maxBytes, timer, System::nanoTime, sink);
	}

	QuietJoiner(int idleMs, int maxBytes, Timer timer, LongSupplier nanoClock, Consumer<Frame> sink) {
		if (idleMs < 1 || maxBytes < 1) {
			throw new IllegalArgumentException("idleMs and maxBytes must be positive");
		}
		this.idleNanos = idleMs * 1_000_000L;
		this.maxBytes = maxBytes;
		this.timer = timer;
		this.nanoClock = nanoClock;
		this.sink = sink;
	}

	/**
	 * The quiet time that ends a message.
	 * @return milliseconds
	 */
	public int idleMs() {
		return (int) (this.idleNanos / 1_000_000);
	}

	/**
	 * A timer whose tasks only hand over to {@code executor}, so a sink that writes to a
	 * socket (an echo) never holds the shared scheduler's thread.
	 * @param scheduler the application's task scheduler
	 * @param executor where the tasks run
	 * @return the timer
	 */
	public static Timer timer(TaskScheduler scheduler, Executor executor) {
		return (task, delayMillis) -> scheduler.schedule(() -> executor.execute(task),
				Instant.now().plusMillis(delayMillis));
	}

	/**
	 * Adds one piece read from the connection; hands on every full {@code maxBytes}
	 * message at once.
	 * @param piece what one read returned
	 */
	public synchronized void accept(Frame piece) {
		byte[] bytes = piece.payload();
		int offset = 0;
		while (this.pending.size() + (bytes.length - offset) >= this.maxBytes) {
			int take = this.maxBytes - this.pending.size();
			this.pending.write(bytes, offset, take);
			offset += take;
			emit(CompletedBy.MAX_BYTES);
		}
		this.pending.write(bytes, offset, bytes.length - offset);
		this.lastPieceNanos = this.nanoClock.getAsLong();
		if (this.pending.size() > 0 && !this.armed) {
			this.armed = true;
			this.timer.schedule(this::onTimer, this.idleNanos / 1_000_000);
		}
	}

	/**
	 * Hands on what is pending now: the connection closed. Pieces that still arrive start
	 * a new message.
	 */
	public synchronized void flush() {
		if (this.pending.size() > 0) {
			emit(CompletedBy.CLOSED);
		}
	}

	private synchronized void onTimer() {
		this.armed = false;
		if (this.pending.size() == 0) {
			return;
		}
		long quiet = this.nanoClock.getAsLong() - this.lastPieceNanos;
		if (quiet >= this.idleNanos) {
			emit(CompletedBy.IDLE);
			return;
		}
		this.armed = true;
		// rounded up, so that the next check is not early again
		this.timer.schedule(this::onTimer, (this.idleNanos - quiet + 999_999) / 1_000_000);
	}

	private void emit(CompletedBy completedBy) {
		byte[] message = this.pending.toByteArray();
		// a new buffer, not reset(): a quiet connection keeps no message-sized array
		this.pending = new ByteArrayOutputStream();
		this.sink.accept(new Frame(message, message.length, completedBy));
	}

}
