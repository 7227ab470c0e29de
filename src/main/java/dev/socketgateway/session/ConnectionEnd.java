package dev.socketgateway.session;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.socketgateway.payload.Frame;

/**
 * What a session's connection (plain or TLS) hands to its session: each frame as it is
 * decoded, in wire order, and once, why it closed. The first reason recorded wins.
 */
final class ConnectionEnd {

	private final AtomicReference<@Nullable String> reason = new AtomicReference<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile @Nullable Consumer<String> onClose;

	private volatile @Nullable Consumer<Frame> sink;

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
			throw ex;
		}
	}

	void reason(String why) {
		this.reason.compareAndSet(null, why);
	}

	/**
	 * Tells the session, once, that the connection closed and why.
	 */
	void closed() {
		if (this.closed.compareAndSet(false, true)) {
			reason("peer-closed");
			Consumer<String> callback = this.onClose;
			if (callback != null) {
				callback.accept(this.reason.get());
			}
		}
	}

}
