package dev.socketgateway.session;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.socketgateway.payload.Frame;

/**
 * What a session's connection (plain or TLS) hands to its session: each frame as it is
 * decoded, in wire order, and once, why it closed. The first reason recorded wins.
 * <p>
 * The session hears of the close only after the reader has handed over every frame it
 * read: Spring Integration's NIO connection closes on the selector thread as soon as a
 * read sees the end of stream, while its reader may still be decoding the bytes read
 * before. So a close waits while a read is under way or bytes are left to read, and the
 * read that ends (or fails) tells the session instead. The flags below are guarded by
 * this object's monitor; the session is told outside it.
 */
final class ConnectionEnd {

	private final AtomicReference<@Nullable String> reason = new AtomicReference<>();

	private final BooleanSupplier drained;

	private volatile @Nullable Consumer<String> onClose;

	private volatile @Nullable Consumer<Frame> sink;

	private boolean reading;

	private boolean ended;

	private boolean closed;

	private boolean told;

	/**
	 * @param drained whether every byte the connection read has been decoded
	 */
	ConnectionEnd(BooleanSupplier drained) {
		this.drained = drained;
	}

	void bind(Consumer<Frame> sink, Consumer<String> onClose) {
		this.sink = sink;
		this.onClose = onClose;
	}

	/**
	 * Reads one payload through the connection's own read, passing frames to the session
	 * and recording why a failed read ends the connection.
	 * @param read the connection's read
	 * @return the payload
	 */
	Object read(Supplier<Object> read) {
		synchronized (this) {
			this.reading = true;
		}
		try {
			Object payload = read.get();
			Consumer<Frame> frames = this.sink;
			if (payload instanceof Frame frame && frames != null) {
				frames.accept(frame);
			}
			return payload;
		}
		catch (RuntimeException ex) {
			reason(SessionConnectionFactory.reasonOf(ex));
			synchronized (this) {
				// nothing more will be read
				this.ended = true;
			}
			throw ex;
		}
		finally {
			boolean tell;
			synchronized (this) {
				this.reading = false;
				tell = this.closed && mayTell();
			}
			if (tell) {
				tell();
			}
		}
	}

	void reason(String why) {
		this.reason.compareAndSet(null, why);
	}

	/**
	 * The connection closed: tells the session, once, now or after the read under way.
	 */
	void closed() {
		reason("peer-closed");
		boolean tell;
		synchronized (this) {
			this.closed = true;
			tell = !this.reading && mayTell();
		}
		if (tell) {
			tell();
		}
	}

	/** Under the monitor: whether nothing is left to hand over, and no one told yet. */
	private boolean mayTell() {
		if (this.told || !(this.ended || this.drained.getAsBoolean())) {
			return false;
		}
		this.told = true;
		return true;
	}

	private void tell() {
		Consumer<String> callback = this.onClose;
		if (callback != null) {
			callback.accept(this.reason.get());
		}
	}

}
