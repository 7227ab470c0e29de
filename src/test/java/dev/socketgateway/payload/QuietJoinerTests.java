package dev.socketgateway.payload;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link QuietJoiner} on a hand-driven clock and timer.
 */
class QuietJoinerTests {

	/** Nanoseconds per millisecond. */
	private static final long MS = 1_000_000;

	private long now;

	private final List<Long> delays = new ArrayList<>();

	private final List<Runnable> timers = new ArrayList<>();

	private final List<Frame> messages = new ArrayList<>();

	private QuietJoiner joiner(int idleMs, int maxBytes) {
		return new QuietJoiner(idleMs, maxBytes, (task, delay) -> {
			this.delays.add(delay);
			this.timers.add(task);
		}, () -> this.now, this.messages::add);
	}

	private static Frame piece(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
		return new Frame(bytes, bytes.length, CompletedBy.IDLE);
	}

	private void fireTimer() {
		assertThat(this.timers).as("an armed timer").isNotEmpty();
		this.timers.remove(0).run();
	}

	private List<String> texts() {
		return this.messages.stream().map((frame) -> new String(frame.payload(), StandardCharsets.US_ASCII)).toList();
	}

	@Test
	void piecesWithinTheQuietTimeAreOneMessage() {
		QuietJoiner joiner = joiner(50, 100);
		joiner.accept(piece("hel"));
		this.now += 30 * MS;
		joiner.accept(piece("lo"));
		// one timer for both pieces
		assertThat(this.delays).containsExactly(50L);
		this.now += 20 * MS;
		fireTimer();
		// 20 ms after "lo" is not quiet yet: the timer re-arms for the rest
		assertThat(this.messages).isEmpty();
		assertThat(this.delays).containsExactly(50L, 30L);
		this.now += 30 * MS;
		fireTimer();
		assertThat(texts()).containsExactly("hello");
		assertThat(this.messages.get(0).completedBy()).isEqualTo(CompletedBy.IDLE);
		assertThat(this.messages.get(0).wireBytes()).isEqualTo(5);
		assertThat(this.timers).isEmpty();
	}

	@Test
	void quietBetweenPiecesMakesTwoMessages() {
		QuietJoiner joiner = joiner(50, 100);
		joiner.accept(piece("a"));
		this.now += 50 * MS;
		fireTimer();
		joiner.accept(piece("b"));
		this.now += 50 * MS;
		fireTimer();
		assertThat(texts()).containsExactly("a", "b");
	}

	@Test
	void aMessageEndsAtMaxBytesAndTheRestFollows() {
		QuietJoiner joiner = joiner(50, 4);
		joiner.accept(piece("abc"));
		joiner.accept(piece("defghijkl"));
		// full messages go at once, without waiting for quiet
		assertThat(texts()).containsExactly("abcd", "efgh", "ijkl");
		assertThat(this.messages).extracting(Frame::completedBy).containsOnly(CompletedBy.MAX_BYTES);
		joiner.accept(piece("m"));
		this.now += 50 * MS;
		while (!this.timers.isEmpty()) {
			fireTimer();
		}
		assertThat(texts()).containsExactly("abcd", "efgh", "ijkl", "m");
	}

	@Test
	void flushHandsOnWhatIsPendingAndLaterPiecesStartANewMessage() {
		QuietJoiner joiner = joiner(50, 100);
		joiner.accept(piece("last words"));
		joiner.flush();
		assertThat(texts()).containsExactly("last words");
		assertThat(this.messages.get(0).completedBy()).isEqualTo(CompletedBy.CLOSED);
		// the timer armed for the flushed bytes finds nothing
		this.now += 50 * MS;
		fireTimer();
		joiner.flush();
		assertThat(texts()).containsExactly("last words");
		joiner.accept(piece("late"));
		this.now += 50 * MS;
		fireTimer();
		assertThat(texts()).containsExactly("last words", "late");
	}

}
