package dev.socketgateway.payload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DelimiterCodecTests {

	private static final int MAX = 1024 * 1024;

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static byte[] hex(String digits) {
		return HexFormat.ofDelimiter(" ").parseHex(digits);
	}

	/**
	 * The framing's bytes around a payload, written out by hand rather than by the codec.
	 */
	private static byte[] wire(Framing framing, String payload) {
		return bytes(switch (framing.value()) {
			case "crlf" -> payload + "\r\n";
			case "lf" -> payload + "\n";
			case "nul" -> payload + "\0";
			case "stx-etx" -> "\u0002" + payload + "\u0003";
			default -> throw new IllegalArgumentException(framing.toString());
		});
	}

	private static byte[] serialize(Framing framing, String payload) throws IOException {
		RecordingOutputStream out = new RecordingOutputStream();
		framing.codec(MAX).serialize(bytes(payload), out);
		assertThat(out.writes()).isOne();
		return out.toByteArray();
	}

	@Test
	void serializeWritesExactWireBytes() throws IOException {
		assertThat(serialize(Framing.CRLF, "hello")).isEqualTo(hex("68 65 6c 6c 6f 0d 0a"));
		assertThat(serialize(Framing.LF, "hello")).isEqualTo(hex("68 65 6c 6c 6f 0a"));
		assertThat(serialize(Framing.NUL, "hello")).isEqualTo(hex("68 65 6c 6c 6f 00"));
		assertThat(serialize(Framing.STX_ETX, "hello")).isEqualTo(hex("02 68 65 6c 6c 6f 03"));
	}

	@Test
	void serializeEmptyPayloadIsJustTheFraming() throws IOException {
		assertThat(serialize(Framing.CRLF, "")).isEqualTo(hex("0d 0a"));
		assertThat(serialize(Framing.LF, "")).isEqualTo(hex("0a"));
		assertThat(serialize(Framing.NUL, "")).isEqualTo(hex("00"));
		assertThat(serialize(Framing.STX_ETX, "")).isEqualTo(hex("02 03"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "crlf", "lf", "nul", "stx-etx" })
	void deserializeWithOneBytePerRead(Framing framing) throws IOException {
		ScriptedInputStream in = ScriptedInputStream.of(wire(framing, "hello")).oneBytePerRead();
		assertThat(framing.codec(MAX).deserialize(in))
			.satisfies((frame) -> assertFrame(frame, "hello", 5 + framing.overhead()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "crlf", "lf", "nul", "stx-etx" })
	void deserializeCoalescedFramesInOrder(Framing framing) throws IOException {
		for (long seed = 0; seed < 20; seed++) {
			byte[] stream = concat(wire(framing, "one"), wire(framing, ""), wire(framing, "three three"));
			ScriptedInputStream in = ScriptedInputStream.of(stream).randomChunks(seed, 5);
			FrameCodec codec = framing.codec(MAX);
			assertFrame(codec.deserialize(in), "one", 3 + framing.overhead());
			assertFrame(codec.deserialize(in), "", framing.overhead());
			assertFrame(codec.deserialize(in), "three three", 11 + framing.overhead());
			assertThatExceptionOfType(SoftEndOfStreamException.class).isThrownBy(() -> codec.deserialize(in));
			assertThat(in.consumed()).isEqualTo(stream.length);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "crlf", "lf", "nul", "stx-etx" })
	void deserializeLeavesTheNextFrameUnread(Framing framing) throws IOException {
		byte[] first = wire(framing, "first");
		ScriptedInputStream in = ScriptedInputStream.of(concat(first, wire(framing, "second")));
		framing.codec(MAX).deserialize(in);
		assertThat(in.consumed()).isEqualTo(first.length);
	}

	@ParameterizedTest
	@ValueSource(strings = { "crlf", "lf", "nul", "stx-etx" })
	void deserializeGrowsPastTheInitialBuffer(Framing framing) throws IOException {
		char[] chars = new char[100_000];
		for (int i = 0; i < chars.length; i++) {
			chars[i] = (char) ('a' + i % 26);
		}
		String payload = new String(chars);
		Frame frame = framing.codec(MAX).deserialize(new ByteArrayInputStream(wire(framing, payload)));
		assertFrame(frame, payload, payload.length() + framing.overhead());
	}

	@Test
	void crlfLoneCarriageReturnIsContent() throws IOException {
		FrameCodec codec = Framing.CRLF.codec(MAX);
		ScriptedInputStream in = ScriptedInputStream.of("a\rb\r\n", "\r\r\n", "\r\n\n\r\n", "x\n\r\n");
		assertFrame(codec.deserialize(in), "a\rb", 5);
		assertFrame(codec.deserialize(in), "\r", 3);
		assertFrame(codec.deserialize(in), "", 2);
		assertFrame(codec.deserialize(in), "\n", 3);
		assertFrame(codec.deserialize(in), "x\n", 4);
	}

	@Test
	void lfKeepsACarriageReturnBeforeIt() throws IOException {
		assertFrame(Framing.LF.codec(MAX).deserialize(ScriptedInputStream.of("a\r\n")), "a\r", 3);
	}

	@Test
	void stxEtxDiscardsBytesBeforeStxButCountsThem() throws IOException {
		FrameCodec codec = Framing.STX_ETX.codec(MAX);
		ScriptedInputStream in = ScriptedInputStream.of("noise\u0003\u0002hi\u0003", "\u0002x\u0002y\u0003")
			.oneBytePerRead();
		assertFrame(codec.deserialize(in), "hi", 10);
		// a second STX inside a frame is content
		assertFrame(codec.deserialize(in), "x\u0002y", 5);
	}

	@Test
	void stxEtxNulBytesAreNoiseOrContentNotEndOfStream() throws IOException {
		FrameCodec codec = Framing.STX_ETX.codec(MAX);
		ScriptedInputStream in = ScriptedInputStream.of("\0x\0\u0002a\0\u0003", "\u0002\0\u0003");
		assertFrame(codec.deserialize(in), "a\0", 7);
		assertFrame(codec.deserialize(in), "\0", 3);
	}

	@Test
	void crlfMaxCountsEveryByteOfAPayloadEndingInCarriageReturns() throws IOException {
		assertFrame(Framing.CRLF.codec(3).deserialize(ScriptedInputStream.of("\r\r\r\r\n")), "\r\r\r", 5);
		assertThatExceptionOfType(FrameTooLargeException.class)
			.isThrownBy(() -> Framing.CRLF.codec(3).deserialize(ScriptedInputStream.of("\r\r\r\r\r\n")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "crlf", "lf", "nul", "stx-etx" })
	void cleanEndOfStreamBetweenFramesIsSoft(Framing framing) {
		assertThatExceptionOfType(SoftEndOfStreamException.class)
			.isThrownBy(() -> framing.codec(MAX).deserialize(ScriptedInputStream.empty()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "crlf", "lf", "nul", "stx-etx" })
	void endOfStreamInsideAFrameIsTruncated(Framing framing) {
		byte[] wire = wire(framing, "hello");
		byte[] cut = Arrays.copyOf(wire, wire.length - 1);
		assertThatExceptionOfType(TruncatedFrameException.class)
			.isThrownBy(() -> framing.codec(MAX).deserialize(ScriptedInputStream.of(cut)))
			.satisfies((ex) -> assertThat(ex.bytesRead()).isEqualTo(cut.length));
	}

	@Test
	void crlfCutAfterCarriageReturnIsTruncated() {
		assertThatExceptionOfType(TruncatedFrameException.class)
			.isThrownBy(() -> Framing.CRLF.codec(MAX).deserialize(ScriptedInputStream.of("hi\r")))
			.satisfies((ex) -> assertThat(ex.bytesRead()).isEqualTo(3));
	}

	@Test
	void stxEtxNoiseThenEndOfStreamIsTruncated() {
		assertThatExceptionOfType(TruncatedFrameException.class)
			.isThrownBy(() -> Framing.STX_ETX.codec(MAX).deserialize(ScriptedInputStream.of("noise")))
			.satisfies((ex) -> assertThat(ex.bytesRead()).isEqualTo(5));
		assertThatExceptionOfType(TruncatedFrameException.class)
			.isThrownBy(() -> Framing.STX_ETX.codec(MAX).deserialize(ScriptedInputStream.of("n\u0002hi")))
			.satisfies((ex) -> assertThat(ex.bytesRead()).isEqualTo(4));
	}

	@ParameterizedTest
	@ValueSource(strings = { "crlf", "lf", "nul", "stx-etx" })
	void payloadOfExactlyMaxIsAccepted(Framing framing) throws IOException {
		assertFrame(framing.codec(5).deserialize(ScriptedInputStream.of(wire(framing, "hello"))), "hello",
				5 + framing.overhead());
	}

	@ParameterizedTest
	@ValueSource(strings = { "crlf", "lf", "nul", "stx-etx" })
	void payloadOfMaxPlusOneIsRejectedWithoutReadingFurther(Framing framing) {
		byte[] wire = wire(framing, "hello!" + "x".repeat(100));
		ScriptedInputStream in = ScriptedInputStream.of(wire).oneBytePerRead();
		assertThatExceptionOfType(FrameTooLargeException.class).isThrownBy(() -> framing.codec(5).deserialize(in))
			.satisfies((ex) -> assertThat(ex.limit()).isEqualTo(5));
		// the sixth payload byte passes the limit; nothing after it is read
		int prefix = (framing == Framing.STX_ETX) ? 1 : 0;
		assertThat(in.consumed()).isEqualTo(prefix + 6);
	}

	@Test
	void crlfCarriageReturnAfterMaxWaitsForTheNextByte() {
		ScriptedInputStream in = ScriptedInputStream.of("hello\rx");
		assertThatExceptionOfType(FrameTooLargeException.class).isThrownBy(() -> Framing.CRLF.codec(5).deserialize(in));
		assertThat(in.consumed()).isEqualTo(7);
	}

	@Test
	void zeroLimitAcceptsOnlyEmptyFrames() throws IOException {
		assertFrame(Framing.CRLF.codec(0).deserialize(ScriptedInputStream.of("\r\n")), "", 2);
		assertThatExceptionOfType(FrameTooLargeException.class)
			.isThrownBy(() -> Framing.CRLF.codec(0).deserialize(ScriptedInputStream.of("a\r\n")));
	}

	@Test
	void stxEtxNoiseIsBoundedByTheLimit() throws IOException {
		ScriptedInputStream in = ScriptedInputStream.of("x".repeat(100));
		assertThatExceptionOfType(FrameTooLargeException.class)
			.isThrownBy(() -> Framing.STX_ETX.codec(10).deserialize(in));
		assertThat(in.consumed()).isEqualTo(11);
		assertFrame(Framing.STX_ETX.codec(10).deserialize(ScriptedInputStream.of("x".repeat(10) + "\u0002a\u0003")),
				"a", 13);
	}

	@Test
	void hugeLimitIsNotAllocatedUpFront() throws IOException {
		long before = AllocationMeter.allocatedBytes();
		assertFrame(Framing.CRLF.codec(Integer.MAX_VALUE).deserialize(ScriptedInputStream.of("hi\r\n")), "hi", 4);
		assertThat(AllocationMeter.allocatedBytes() - before).isLessThan(64 * 1024);
	}

	@Test
	void serializeRejectsNothingButWritesArbitraryBytes() throws IOException {
		RecordingOutputStream out = new RecordingOutputStream();
		Framing.NUL.codec(MAX).serialize(hex("ff 80 0d 0a"), out);
		assertThat(out.toByteArray()).isEqualTo(hex("ff 80 0d 0a 00"));
	}

	@Test
	void constructorRejectsNonsense() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new DelimiterCodec(Framing.CRLF, new byte[0], new byte[0], 10));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new DelimiterCodec(Framing.CRLF, new byte[0], new byte[3], 10));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new DelimiterCodec(Framing.CRLF, new byte[2], new byte[] { 1 }, 10));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new DelimiterCodec(Framing.CRLF, new byte[0], new byte[] { 1 }, -1));
	}

	static void assertFrame(Frame frame, String payload, int wireBytes) {
		assertThat(new String(frame.payload(), StandardCharsets.ISO_8859_1)).isEqualTo(payload);
		assertThat(frame.wireBytes()).isEqualTo(wireBytes);
		assertThat(frame.completedBy()).isEqualTo(CompletedBy.DELIMITER);
	}

	static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		byte[] all = new byte[length];
		int offset = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, all, offset, part.length);
			offset += part.length;
		}
		return all;
	}

}
