package dev.socketgateway.payload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RawCodecTests {

	private static final int MAX = 1024 * 1024;

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static void assertFrame(Frame frame, String payload, CompletedBy completedBy) {
		assertThat(new String(frame.payload(), StandardCharsets.ISO_8859_1)).isEqualTo(payload);
		assertThat(frame.wireBytes()).isEqualTo(payload.length());
		assertThat(frame.completedBy()).isEqualTo(completedBy);
	}

	@Test
	void serializeWritesBytesAsTheyAre() throws IOException {
		RecordingOutputStream out = new RecordingOutputStream();
		Framing.RAW.codec(MAX).serialize(bytes("he\r\nllo\0"), out);
		assertThat(out.toByteArray()).isEqualTo(bytes("he\r\nllo\0"));
		assertThat(out.writes()).isOne();
	}

	@Test
	void closeEndsTheReply() throws IOException {
		ScriptedInputStream in = ScriptedInputStream.of("hel", "lo\r\n").oneBytePerRead();
		assertFrame(Framing.RAW.codec(MAX).deserialize(in), "hello\r\n", CompletedBy.CLOSED);
	}

	@Test
	void closeWithoutBytesIsAnEmptyReply() throws IOException {
		Frame frame = Framing.RAW.codec(MAX).deserialize(ScriptedInputStream.empty());
		assertFrame(frame, "", CompletedBy.CLOSED);
	}

	@Test
	void quietAfterTheFirstByteEndsTheReplyAsIdle() throws IOException {
		ScriptedInputStream in = ScriptedInputStream.of("hel", "lo").thenTimeout().then("later");
		assertFrame(Framing.RAW.codec(MAX).deserialize(in), "hello", CompletedBy.IDLE);
		assertThat(in.consumed()).isEqualTo(5);
	}

	@Test
	void quietBeforeTheFirstByteKeepsWaiting() throws IOException {
		ScriptedInputStream in = ScriptedInputStream.empty()
			.thenTimeout()
			.thenTimeout()
			.thenTimeout()
			.then("late")
			.thenTimeout();
		assertFrame(Framing.RAW.codec(MAX).deserialize(in), "late", CompletedBy.IDLE);
	}

	@Test
	void bytesTransferredBeforeATimeoutAreKept() throws IOException {
		ScriptedInputStream in = ScriptedInputStream.of("ab").thenPartialTimeout("cd").then("ef");
		assertFrame(Framing.RAW.codec(MAX).deserialize(in), "abcd", CompletedBy.IDLE);
		ScriptedInputStream first = ScriptedInputStream.empty().thenPartialTimeout("xy").then("z");
		assertFrame(Framing.RAW.codec(MAX).deserialize(first), "xy", CompletedBy.IDLE);
	}

	@Test
	void maxBytesEndsTheReplyWithoutReadingBeyond() throws IOException {
		ScriptedInputStream in = ScriptedInputStream.of("hello world");
		assertFrame(Framing.RAW.codec(5).deserialize(in), "hello", CompletedBy.MAX_BYTES);
		assertThat(in.consumed()).isEqualTo(5);
	}

	@Test
	void exactlyMaxBytesThenCloseIsMaxBytes() throws IOException {
		assertFrame(Framing.RAW.codec(5).deserialize(ScriptedInputStream.of("hello")), "hello", CompletedBy.MAX_BYTES);
		assertFrame(Framing.RAW.codec(6).deserialize(ScriptedInputStream.of("hello")), "hello", CompletedBy.CLOSED);
	}

	@Test
	void zeroMaxBytesReadsNothing() throws IOException {
		ScriptedInputStream in = ScriptedInputStream.of("hello");
		assertFrame(Framing.RAW.codec(0).deserialize(in), "", CompletedBy.MAX_BYTES);
		assertThat(in.consumed()).isZero();
	}

	@Test
	void growsPastTheInitialBuffer() throws IOException {
		byte[] payload = new byte[100_000];
		new Random(1).nextBytes(payload);
		ScriptedInputStream in = ScriptedInputStream.of(payload).randomChunks(2, 3000).thenTimeout();
		Frame frame = Framing.RAW.codec(MAX).deserialize(in);
		assertThat(frame.payload()).isEqualTo(payload);
		assertThat(frame.wireBytes()).isEqualTo(payload.length);
		assertThat(frame.completedBy()).isEqualTo(CompletedBy.IDLE);
		ScriptedInputStream capped = ScriptedInputStream.of(payload).randomChunks(2, 3000);
		assertThat(Framing.RAW.codec(70_000).deserialize(capped).payload()).hasSize(70_000);
		assertThat(capped.consumed()).isEqualTo(70_000);
	}

	@Test
	void chunkedReturnsWhatHasArrived() throws IOException {
		RawCodec codec = new RawCodec(MAX, true);
		ScriptedInputStream in = ScriptedInputStream.of("hello", " world", "!");
		assertFrame(codec.deserialize(in), "hello", CompletedBy.IDLE);
		assertFrame(codec.deserialize(in), " world", CompletedBy.IDLE);
		assertFrame(codec.deserialize(in), "!", CompletedBy.IDLE);
		assertThatExceptionOfType(SoftEndOfStreamException.class).isThrownBy(() -> codec.deserialize(in));
	}

	@Test
	void chunkedTakesEverythingAvailableEvenFromShortReads() throws IOException {
		RawCodec codec = new RawCodec(MAX, true);
		byte[] payload = new byte[20_000];
		new Random(3).nextBytes(payload);
		ScriptedInputStream in = ScriptedInputStream.of(payload, bytes("next")).randomChunks(4, 1000);
		Frame frame = codec.deserialize(in);
		assertThat(frame.payload()).isEqualTo(payload);
		assertThat(frame.completedBy()).isEqualTo(CompletedBy.IDLE);
		assertFrame(codec.deserialize(in), "next", CompletedBy.IDLE);
	}

	@Test
	void chunkedNeverAsksForMoreThanIsAvailable() throws IOException {
		RawCodec codec = new RawCodec(MAX, true);
		ScriptedInputStream in = ScriptedInputStream.of("hello", " world").fillingEachRequest();
		assertFrame(codec.deserialize(in), "hello", CompletedBy.IDLE);
		assertFrame(codec.deserialize(in), " world", CompletedBy.IDLE);
	}

	@Test
	void chunkedTakesBytesThatKeepArriving() throws IOException {
		byte[] payload = new byte[20_000];
		new Random(5).nextBytes(payload);
		ScriptedInputStream in = ScriptedInputStream.of(payload).availableAtMost(1000);
		Frame frame = new RawCodec(MAX, true).deserialize(in);
		assertThat(frame.payload()).isEqualTo(payload);
		assertThat(frame.wireBytes()).isEqualTo(payload.length);
	}

	@Test
	void chunkedFirstByteMayBeZero() throws IOException {
		RawCodec codec = new RawCodec(MAX, true);
		assertFrame(codec.deserialize(ScriptedInputStream.of("\0\0a")), "\0\0a", CompletedBy.IDLE);
	}

	@Test
	void chunkedStopsAtMaxBytes() throws IOException {
		RawCodec codec = new RawCodec(4, true);
		ScriptedInputStream in = ScriptedInputStream.of("abcdefghij");
		assertFrame(codec.deserialize(in), "abcd", CompletedBy.IDLE);
		assertFrame(codec.deserialize(in), "efgh", CompletedBy.IDLE);
		assertFrame(codec.deserialize(in), "ij", CompletedBy.IDLE);
	}

	@Test
	void chunkedEndOfStreamBeforeAnyByteIsSoft() {
		assertThatExceptionOfType(SoftEndOfStreamException.class)
			.isThrownBy(() -> new RawCodec(MAX, true).deserialize(ScriptedInputStream.empty()));
	}

	@Test
	void chunkedDoesNotAllocateTheLimit() throws IOException {
		long before = AllocationMeter.allocatedBytes();
		new RawCodec(Integer.MAX_VALUE, true).deserialize(ScriptedInputStream.of("hi"));
		new RawCodec(Integer.MAX_VALUE, false).deserialize(ScriptedInputStream.of("hi"));
		assertThat(AllocationMeter.allocatedBytes() - before).isLessThan(64 * 1024);
	}

	@Test
	void constructorRejectsNonsense() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new RawCodec(-1, false));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new RawCodec(0, true));
	}

}
