package dev.socketgateway.buffer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ring of received messages: a full ring evicts and counts, reads report what a
 * reader missed, and a waiting reader wakes on news or on close.
 */
class MessageBufferTests {

	@Test
	void fullRingEvictsTheOldestAndReadersSeeTheGap() {
		MessageBuffer buffer = new MessageBuffer(3);
		for (int i = 1; i <= 5; i++) {
			MessageBuffer.Appended appended = buffer.append(bytes("m" + i), null, null);
			assertThat(appended.message().seq()).isEqualTo(i);
			assertThat(appended.dropped()).isEqualTo((i > 3) ? 1 : 0);
		}
		assertThat(buffer.evicted()).isEqualTo(2);
		MessageBuffer.Slice slice = buffer.read(0, 10);
		assertThat(slice.messages()).extracting((m) -> new String(m.payload(), StandardCharsets.UTF_8))
			.containsExactly("m3", "m4", "m5");
		assertThat(slice.dropped()).isEqualTo(2);
		assertThat(slice.next()).isEqualTo(5);
		assertThat(buffer.read(4, 10).messages()).extracting(ReceivedMessage::seq).containsExactly(5L);
		assertThat(buffer.read(4, 10).dropped()).isZero();
	}

	@Test
	void awaitWakesOnAppendAndOnClose() throws Exception {
		MessageBuffer buffer = new MessageBuffer(4);
		CompletableFuture<MessageBuffer.Slice> waiting = CompletableFuture.supplyAsync(() -> {
			try {
				return buffer.await(0, 10, 30_000);
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		buffer.append(bytes("hello"), "127.0.0.1:1", "c1");
		MessageBuffer.Slice slice = waiting.get(10, TimeUnit.SECONDS);
		assertThat(slice.messages()).singleElement().satisfies((m) -> {
			assertThat(m.from()).isEqualTo("127.0.0.1:1");
			assertThat(m.connectionId()).isEqualTo("c1");
		});
		CompletableFuture<MessageBuffer.Slice> afterClose = CompletableFuture.supplyAsync(() -> {
			try {
				return buffer.await(1, 10, 30_000);
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		buffer.close();
		MessageBuffer.Slice closed = afterClose.get(10, TimeUnit.SECONDS);
		assertThat(closed.closed()).isTrue();
		assertThat(closed.messages()).isEmpty();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
