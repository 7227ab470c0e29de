package dev.socketgateway.buffer;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.support.GatewayPropertiesFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The byte limits of {@link MessageBuffer} and {@link BufferMemory}: per buffer, for all
 * buffers, closed buffers first, every eviction counted.
 */
class BufferMemoryUnitTests {

	static final int KIB = 1024;

	/** What a 1 KiB message costs. */
	static final long COST = KIB + BufferMemory.OVERHEAD_BYTES;

	final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	final GatewayMetrics metrics = new GatewayMetrics(this.registry);

	/**
	 * A budget for all buffers and a cap per buffer, in bytes; 1,000 messages per buffer.
	 */
	BufferMemory memory(long budget, long maxBytesPerBuffer) {
		return new BufferMemory(GatewayPropertiesFixture.bind("gateway.limits.max-buffer-memory=" + budget + "B",
				"gateway.limits.max-buffered-messages=1000",
				"gateway.limits.max-buffered-bytes=" + maxBytesPerBuffer + "B"), this.metrics, this.registry);
	}

	@Test
	void aBufferKeepsItsByteCapAndTheNewestMessage() {
		BufferMemory memory = memory(1_000 * COST, 3 * COST);
		MessageBuffer buffer = memory.newBuffer("connection");
		for (int i = 0; i < 5; i++) {
			buffer.append(new byte[KIB], null, null);
		}
		MessageBuffer.Slice all = buffer.read(0, 100);
		assertThat(all.messages()).extracting(ReceivedMessage::seq).containsExactly(3L, 4L, 5L);
		assertThat(all.dropped()).isEqualTo(2);
		assertThat(buffer.bytes()).isEqualTo(3 * COST);
		assertThat(memory.used()).isEqualTo(3 * COST);
		MessageBuffer.Appended huge = buffer.append(new byte[10 * KIB], null, null);
		assertThat(huge.dropped()).isEqualTo(3);
		assertThat(buffer.read(0, 100).messages()).extracting(ReceivedMessage::seq).containsExactly(6L);
		assertThat(memory.used()).isEqualTo(10 * KIB + BufferMemory.OVERHEAD_BYTES);
	}

	@Test
	void overTheBudgetClosedBuffersGoFirstThenTheOldestAnywhere() {
		BufferMemory memory = memory(4 * COST, 100 * COST);
		MessageBuffer deleted = memory.newBuffer("listener");
		MessageBuffer older = memory.newBuffer("connection");
		MessageBuffer newer = memory.newBuffer("connection");
		deleted.append(new byte[KIB], null, null);
		older.append(new byte[KIB], null, null);
		Instant olderAt = older.append(new byte[KIB], null, null).message().at();
		// arrival order is by millisecond: let the clock move on
		await().until(() -> Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(olderAt));
		deleted.close();
		newer.append(new byte[KIB], null, null);
		assertThat(memory.used()).isEqualTo(4 * COST);
		// one more: the closed buffer gives up its message, the open ones keep theirs
		newer.append(new byte[KIB], null, null);
		assertThat(deleted.read(0, 10).messages()).isEmpty();
		assertThat(deleted.read(0, 10).dropped()).isEqualTo(1);
		assertThat(deleted.lastSeq()).as("the summary stays").isEqualTo(1);
		assertThat(older.read(0, 10).messages()).hasSize(2);
		// and one more: the oldest message anywhere goes
		newer.append(new byte[KIB], null, null);
		assertThat(older.read(0, 10).messages()).extracting(ReceivedMessage::seq).containsExactly(2L);
		assertThat(older.read(0, 10).dropped()).isEqualTo(1);
		assertThat(newer.read(0, 10).messages()).hasSize(3);
		assertThat(memory.used()).isEqualTo(4 * COST);
		assertThat(this.registry.counter(GatewayMetrics.BUFFER_DROPPED, "kind", "listener").count()).isEqualTo(1);
		assertThat(this.registry.counter(GatewayMetrics.BUFFER_DROPPED, "kind", "connection").count()).isEqualTo(1);
		assertThat(this.registry.get(GatewayMetrics.BUFFER_BYTES).gauge().value()).isEqualTo(4 * COST);
		assertThat(this.registry.get(GatewayMetrics.BUFFER_BYTES_MAX).gauge().value()).isEqualTo(4 * COST);
	}

	@Test
	void aForgottenBufferReleasesItsBytes() {
		BufferMemory memory = memory(100 * COST, 100 * COST);
		MessageBuffer buffer = memory.newBuffer("connection");
		buffer.append(new byte[KIB], null, null);
		buffer.append(new byte[KIB], null, null);
		buffer.close();
		buffer.discard();
		assertThat(memory.used()).isZero();
	}

}
