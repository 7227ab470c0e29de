package dev.socketgateway.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import dev.socketgateway.payload.CompletedBy;
import dev.socketgateway.payload.Frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link ConnectionEnd}: a session hears of the close only after every frame read before
 * it, whichever thread closes.
 */
class ConnectionEndTests {

	private final List<String> events = new ArrayList<>();

	private final AtomicBoolean drained = new AtomicBoolean(true);

	private final ConnectionEnd end = new ConnectionEnd(this.drained::get);

	ConnectionEndTests() {
		this.end.bind((frame) -> this.events.add("frame " + new String(frame.payload())),
				(reason) -> this.events.add("closed " + reason));
	}

	private static Frame frame(String text) {
		return new Frame(text.getBytes(), text.length(), CompletedBy.IDLE);
	}

	@Test
	void aCloseDuringAReadIsToldAfterTheFrameItDecodes() {
		this.end.read(() -> {
			// the selector thread saw the end of stream while this read decodes
			this.end.closed();
			return frame("bye");
		});
		assertThat(this.events).containsExactly("frame bye", "closed peer-closed");
	}

	@Test
	void aCloseWithBytesLeftWaitsForTheReadThatEnds() {
		this.drained.set(false);
		this.end.closed();
		assertThat(this.events).isEmpty();
		this.end.read(() -> frame("last"));
		// still bytes left: the reader goes on
		assertThat(this.events).containsExactly("frame last");
		assertThatExceptionOfType(SoftEndOfStreamException.class).isThrownBy(() -> this.end.read(() -> {
			throw new SoftEndOfStreamException("end");
		}));
		assertThat(this.events).containsExactly("frame last", "closed peer-closed");
	}

	@Test
	void anIdleConnectionIsToldAtOnceAndOnlyOnce() {
		this.end.reason("deleted");
		this.end.closed();
		this.end.closed();
		assertThat(this.events).containsExactly("closed deleted");
	}

}
