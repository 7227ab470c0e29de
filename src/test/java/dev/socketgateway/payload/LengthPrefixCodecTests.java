package dev.socketgateway.payload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LengthPrefixCodecTests {

	private static final int MAX = 1024 * 1024;

	private static byte[] hex(String digits) {
		return HexFormat.ofDelimiter(" ").parseHex(digits);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static byte[] serialize(Framing framing, byte[] payload) throws IOException {
		RecordingOutputStream out = new RecordingOutputStream();
		framing.codec(MAX).serialize(payload, out);
		assertThat(out.writes()).isOne();
		return out.toByteArray();
	}

	/** A header written out by hand, big-endian. */
	private static byte[] header(Framing framing, long length) {
		byte[] header = new byte[framing.overhead()];
		for (int i = header.length - 1; i >= 0; i--) {
			header[i] = (byte) length;
			length >>>= 8;
		}
		return header;
	}

	private static byte[] wire(Framing framing, byte[] payload) {
		return DelimiterCodecTests.concat(header(framing, payload.length), payload);
	}

	private static byte[] random(int length, long seed) {
		byte[] bytes = new byte[length];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	@Test
	void serializeWritesBigEndianHeaderThenPayload() throws IOException {
		assertThat(serialize(Framing.LENGTH1, bytes("hello"))).isEqualTo(hex("05 68 65 6c 6c 6f"));
		assertThat(serialize(Framing.LENGTH2, bytes("hello"))).isEqualTo(hex("00 05 68 65 6c 6c 6f"));
		assertThat(serialize(Framing.LENGTH4, bytes("hello"))).isEqualTo(hex("00 00 00 05 68 65 6c 6c 6f"));
		assertThat(serialize(Framing.LENGTH1, new byte[0])).isEqualTo(hex("00"));
		assertThat(serialize(Framing.LENGTH4, new byte[0])).isEqualTo(hex("00 00 00 00"));
	}

	@Test
	void serializeHeaderUsesEveryByte() throws IOException {
		assertThat(Arrays.copyOf(serialize(Framing.LENGTH1, new byte[255]), 1)).isEqualTo(hex("ff"));
		assertThat(Arrays.copyOf(serialize(Framing.LENGTH2, new byte[300]), 2)).isEqualTo(hex("01 2c"));
		assertThat(Arrays.copyOf(serialize(Framing.LENGTH2, new byte[65535]), 2)).isEqualTo(hex("ff ff"));
		assertThat(Arrays.copyOf(serialize(Framing.LENGTH4, new byte[70000]), 4)).isEqualTo(hex("00 01 11 70"));
		assertThat(Arrays.copyOf(serialize(Framing.LENGTH4, new byte[0x01020304]), 4)).isEqualTo(hex("01 02 03 04"));
	}

	@Test
	void serializeRejectsPayloadTooLongForTheHeader() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> Framing.LENGTH1.codec(MAX).serialize(new byte[256], new RecordingOutputStream()))
			.withMessageContaining("256")
			.withMessageContaining("length1");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> Framing.LENGTH2.codec(MAX).serialize(new byte[65536], new RecordingOutputStream()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "length1", "length2", "length4" })
	void deserializeWithOneBytePerRead(Framing framing) throws IOException {
		ScriptedInputStream in = ScriptedInputStream.of(wire(framing, bytes("hello"))).oneBytePerRead();
		assertFrame(framing.codec(MAX).deserialize(in), bytes("hello"), framing.overhead() + 5);
		assertThat(in.consumed()).isEqualTo(framing.overhead() + 5);
	}

	@ParameterizedTest
	@ValueSource(strings = { "length1", "length2", "length4" })
	void deserializeCoalescedFramesInOrder(Framing framing) throws IOException {
		byte[] one = random(200, 1);
		byte[] three = random(framing.maxPayloadLength() == 0xFF ? 255 : 1000, 3);
		byte[] stream = DelimiterCodecTests.concat(wire(framing, one), wire(framing, new byte[0]),
				wire(framing, three));
		for (long seed = 0; seed < 20; seed++) {
			ScriptedInputStream in = ScriptedInputStream.of(stream).randomChunks(seed, 7);
			FrameCodec codec = framing.codec(MAX);
			assertFrame(codec.deserialize(in), one, framing.overhead() + one.length);
			assertFrame(codec.deserialize(in), new byte[0], framing.overhead());
			assertFrame(codec.deserialize(in), three, framing.overhead() + three.length);
			assertThatExceptionOfType(SoftEndOfStreamException.class).isThrownBy(() -> codec.deserialize(in));
		}
	}

	@Test
	void headerBytesAreUnsigned() throws IOException {
		byte[] payload = random(255, 5);
		assertFrame(Framing.LENGTH1.codec(MAX).deserialize(ScriptedInputStream.of(wire(Framing.LENGTH1, payload))),
				payload, 256);
		byte[] longer = random(0xFFFF, 6);
		assertFrame(Framing.LENGTH2.codec(MAX).deserialize(ScriptedInputStream.of(wire(Framing.LENGTH2, longer))),
				longer, 0xFFFF + 2);
		byte[] mixed = random(0x80FF, 7);
		assertFrame(Framing.LENGTH4.codec(MAX).deserialize(ScriptedInputStream.of(wire(Framing.LENGTH4, mixed))), mixed,
				0x80FF + 4);
	}

	@Test
	void largeFrameAcrossChunksWithRandomReads() throws IOException {
		byte[] payload = random(MAX, 9);
		ScriptedInputStream in = ScriptedInputStream.of(wire(Framing.LENGTH4, payload), hex("00 00 00 01 2a"))
			.randomChunks(3, 20_000);
		FrameCodec codec = Framing.LENGTH4.codec(MAX);
		assertFrame(codec.deserialize(in), payload, MAX + 4);
		assertFrame(codec.deserialize(in), hex("2a"), 5);
	}

	@Test
	void largeFramesOfAnyLengthLeaveTheNextFrameUnread() throws IOException {
		FrameCodec codec = Framing.LENGTH4.codec(MAX);
		for (int length : new int[] { 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 100_000, 3 * 64 * 1024 + 7 }) {
			byte[] payload = random(length, length);
			ScriptedInputStream in = ScriptedInputStream.of(wire(Framing.LENGTH4, payload), hex("00 00 00 01 2a"))
				.fillingEachRequest();
			assertFrame(codec.deserialize(in), payload, length + 4);
			assertThat(in.consumed()).as("length %d", length).isEqualTo(length + 4);
			assertFrame(codec.deserialize(in), hex("2a"), 5);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "length1", "length2", "length4" })
	void cleanEndOfStreamBetweenFramesIsSoft(Framing framing) {
		assertThatExceptionOfType(SoftEndOfStreamException.class)
			.isThrownBy(() -> framing.codec(MAX).deserialize(ScriptedInputStream.empty()));
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3 })
	void endOfStreamInsideTheHeaderIsTruncated(int headerBytesSent) {
		ScriptedInputStream in = ScriptedInputStream.of(Arrays.copyOf(hex("00 00 00 05"), headerBytesSent));
		assertThatExceptionOfType(TruncatedFrameException.class)
			.isThrownBy(() -> Framing.LENGTH4.codec(MAX).deserialize(in))
			.satisfies((ex) -> assertThat(ex.bytesRead()).isEqualTo(headerBytesSent));
	}

	@ParameterizedTest
	@ValueSource(strings = { "length1", "length2", "length4" })
	void endOfStreamInsideTheBodyIsTruncated(Framing framing) {
		byte[] wire = wire(framing, bytes("hello"));
		byte[] cut = Arrays.copyOf(wire, wire.length - 2);
		assertThatExceptionOfType(TruncatedFrameException.class)
			.isThrownBy(() -> framing.codec(MAX).deserialize(ScriptedInputStream.of(cut)))
			.satisfies((ex) -> assertThat(ex.bytesRead()).isEqualTo(cut.length));
	}

	@ParameterizedTest
	@ValueSource(strings = { "length1", "length2", "length4" })
	void frameOfExactlyMaxIsAccepted(Framing framing) throws IOException {
		assertFrame(framing.codec(5).deserialize(ScriptedInputStream.of(wire(framing, bytes("hello")))), bytes("hello"),
				framing.overhead() + 5);
	}

	@ParameterizedTest
	@ValueSource(strings = { "length1", "length2", "length4" })
	void frameOfMaxPlusOneIsRejectedBeforeTheBody(Framing framing) {
		ScriptedInputStream in = ScriptedInputStream.of(wire(framing, bytes("hello!")));
		assertThatExceptionOfType(FrameTooLargeException.class).isThrownBy(() -> framing.codec(5).deserialize(in))
			.satisfies((ex) -> assertThat(ex.limit()).isEqualTo(5));
		assertThat(in.consumed()).isEqualTo(framing.overhead());
	}

	@ParameterizedTest
	@ValueSource(strings = { "80 00 00 00", "ff ff ff ff", "40 00 00 00", "7f ff ff ff", "00 10 00 01" })
	void length4DeclaringHugeFrameIsRejected(String header) {
		ScriptedInputStream in = ScriptedInputStream.of(hex(header), bytes("only a few bytes"));
		assertThatExceptionOfType(FrameTooLargeException.class)
			.isThrownBy(() -> Framing.LENGTH4.codec(MAX).deserialize(in))
			.withMessageContaining(Long.toString(Long.parseLong(header.replace(" ", ""), 16)));
		assertThat(in.consumed()).isEqualTo(4);
	}

	@Test
	void declaredLengthUnderTheLimitIsNotAllocatedBeforeItArrives() {
		// 1 MiB declared, 10 bytes sent, then the peer closes
		ScriptedInputStream in = ScriptedInputStream.of(hex("00 10 00 00"), bytes("ten bytes!"));
		long before = AllocationMeter.allocatedBytes();
		assertThatExceptionOfType(TruncatedFrameException.class)
			.isThrownBy(() -> Framing.LENGTH4.codec(MAX).deserialize(in))
			.satisfies((ex) -> assertThat(ex.bytesRead()).isEqualTo(14));
		assertThat(AllocationMeter.allocatedBytes() - before).isLessThan(256 * 1024);
	}

	@Test
	void hugeDeclaredLengthUnderAHugeLimitIsNotAllocatedEither() {
		ScriptedInputStream in = ScriptedInputStream.of(hex("7f ff ff 00"), bytes("ten bytes!"));
		long before = AllocationMeter.allocatedBytes();
		assertThatExceptionOfType(TruncatedFrameException.class)
			.isThrownBy(() -> Framing.LENGTH4.codec(Integer.MAX_VALUE).deserialize(in))
			.satisfies((ex) -> assertThat(ex.bytesRead()).isEqualTo(14));
		assertThat(AllocationMeter.allocatedBytes() - before).isLessThan(256 * 1024);
	}

	@Test
	void truncatedAfterSeveralChunksCountsEveryByte() {
		byte[] partial = random(200_000, 11);
		ScriptedInputStream in = ScriptedInputStream.of(hex("00 10 00 00"), partial).randomChunks(1, 9000);
		assertThatExceptionOfType(TruncatedFrameException.class)
			.isThrownBy(() -> Framing.LENGTH4.codec(MAX).deserialize(in))
			.satisfies((ex) -> assertThat(ex.bytesRead()).isEqualTo(4 + 200_000))
			.withMessageContaining("of " + (4 + MAX) + " bytes");
	}

	@Test
	void zeroLengthFramesAreValid() throws IOException {
		FrameCodec codec = Framing.LENGTH2.codec(0);
		ScriptedInputStream in = ScriptedInputStream.of(hex("00 00 00 00"));
		assertFrame(codec.deserialize(in), new byte[0], 2);
		assertFrame(codec.deserialize(in), new byte[0], 2);
		assertThatExceptionOfType(SoftEndOfStreamException.class).isThrownBy(() -> codec.deserialize(in));
	}

	@Test
	void constructorRejectsNonsense() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new LengthPrefixCodec(Framing.LENGTH4, 3, 10));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new LengthPrefixCodec(Framing.LENGTH4, 4, -1));
	}

	private static void assertFrame(Frame frame, byte[] payload, int wireBytes) {
		assertThat(frame.payload()).isEqualTo(payload);
		assertThat(frame.wireBytes()).isEqualTo(wireBytes);
		assertThat(frame.completedBy()).isEqualTo(CompletedBy.LENGTH);
	}

}
