package dev.socketgateway.listener.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.socketgateway.payload.Framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ResponsePlayerTests {

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

	private final ResponsePlayer player = new ResponsePlayer(this.timer, Executors.newCachedThreadPool());

	@AfterEach
	void stop() {
		this.timer.shutdownNow();
	}

	static Plan plan(Then then, Plan.Step... steps) {
		return new Plan(0, List.of(steps), then);
	}

	static Plan.Step step(String payload, long delayMs, int chunkBytes, long chunkDelayMs) {
		return new Plan.Step(payload.getBytes(StandardCharsets.UTF_8), delayMs, chunkBytes, chunkDelayMs);
	}

	@Test
	void framesEachPayloadWithTheListenersFramingThenKeeps() throws Exception {
		RecordingWire wire = new RecordingWire();
		this.player.play(plan(Then.KEEP, step("+PONG", 0, 0, 0), step("", 0, 0, 0)), Framing.CRLF.codec(1024), wire)
			.get(5, TimeUnit.SECONDS);
		assertThat(wire.pieces()).containsExactly("+PONG\r\n", "\r\n");
		assertThat(wire.events).containsExactly("write", "write");
	}

	@Test
	void lengthFramingPrefixesEachFrameAndUdpWritesPayloadsAsTheyAre() throws Exception {
		RecordingWire tcp = new RecordingWire();
		this.player.play(plan(Then.KEEP, step("ab", 0, 0, 0)), Framing.LENGTH2.codec(1024), tcp)
			.get(5, TimeUnit.SECONDS);
		assertThat(tcp.writes.get(0)).containsExactly(0, 2, 'a', 'b');
		RecordingWire udp = new RecordingWire();
		this.player.play(plan(Then.KEEP, step("ab", 0, 0, 0)), null, udp).get(5, TimeUnit.SECONDS);
		assertThat(udp.writes.get(0)).containsExactly('a', 'b');
	}

	@Test
	void dripsTheFramedBytesInPiecesOverAtLeastTheConfiguredTime() throws Exception {
		RecordingWire wire = new RecordingWire();
		long start = System.nanoTime();
		this.player.play(plan(Then.CLOSE, step("hello", 30, 3, 50)), Framing.CRLF.codec(1024), wire)
			.get(5, TimeUnit.SECONDS);
		assertThat(wire.pieces()).containsExactly("hel", "lo\r", "\n");
		assertThat(wire.events).containsExactly("piece", "piece", "write", "close");
		// 30 ms before the first piece, 50 ms before each of the two others
		assertThat(TimeUnit.NANOSECONDS.toMillis(wire.at.get(0) - start)).isGreaterThanOrEqualTo(30);
		assertThat(TimeUnit.NANOSECONDS.toMillis(wire.at.get(1) - wire.at.get(0))).isGreaterThanOrEqualTo(50);
		assertThat(TimeUnit.NANOSECONDS.toMillis(wire.at.get(2) - wire.at.get(1))).isGreaterThanOrEqualTo(50);
	}

	@Test
	void resetsAfterTheAnswerAndAnEmptyPlanOnlyResets() throws Exception {
		RecordingWire wire = new RecordingWire();
		this.player.play(plan(Then.RESET, step("bye", 0, 0, 0)), Framing.LF.codec(1024), wire).get(5, TimeUnit.SECONDS);
		assertThat(wire.events).containsExactly("write", "reset");
		RecordingWire empty = new RecordingWire();
		this.player.play(plan(Then.RESET), Framing.LF.codec(1024), empty).get(5, TimeUnit.SECONDS);
		assertThat(empty.events).containsExactly("reset");
	}

	@Test
	void aFailedWriteStopsThePlan() {
		RecordingWire wire = new RecordingWire();
		wire.failAfter = 1;
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> this.player
				.play(plan(Then.CLOSE, step("a", 0, 0, 0), step("b", 0, 0, 0)), Framing.LF.codec(1024), wire)
				.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(IOException.class);
		assertThat(wire.events).containsExactly("write");
	}

	@Test
	void aQueueKeepsAClientsAnswersInOrderWhateverTheirDelays() throws Exception {
		RecordingWire wire = new RecordingWire();
		AnswerQueue queue = new AnswerQueue();
		queue.enqueue(() -> this.player.play(plan(Then.KEEP, step("slow", 100, 2, 20)), Framing.LF.codec(64), wire));
		queue.enqueue(() -> this.player.play(plan(Then.KEEP, step("fast", 0, 0, 0)), Framing.LF.codec(64), wire));
		java.util.concurrent.CompletableFuture<Void> last = new java.util.concurrent.CompletableFuture<>();
		queue.enqueue(() -> {
			last.complete(null);
			return last;
		});
		last.get(5, TimeUnit.SECONDS);
		assertThat(String.join("", wire.pieces())).isEqualTo("slow\nfast\n");
	}

	static final class RecordingWire implements Wire {

		final List<byte[]> writes = new CopyOnWriteArrayList<>();

		final List<Long> at = new CopyOnWriteArrayList<>();

		final List<String> events = new CopyOnWriteArrayList<>();

		volatile int failAfter = Integer.MAX_VALUE;

		@Override
		public void write(byte[] bytes, boolean endOfFrame) throws IOException {
			if (this.writes.size() >= this.failAfter) {
				throw new IOException("Broken pipe");
			}
			this.at.add(System.nanoTime());
			this.writes.add(bytes);
			this.events.add(endOfFrame ? "write" : "piece");
		}

		@Override
		public void close() {
			this.events.add("close");
		}

		@Override
		public void reset() {
			this.events.add("reset");
		}

		List<String> pieces() {
			return this.writes.stream().map((b) -> new String(b, StandardCharsets.ISO_8859_1)).toList();
		}

	}

}
