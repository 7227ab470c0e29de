package dev.socketgateway.payload;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzes the presets and object kinds for real protocols: decoding arbitrary bytes ends
 * only in the documented ways (a frame, a clean end, a truncated, too large or malformed
 * frame), never reads past a frame, and what the symmetric framings write they read back.
 * <p>
 * A plain test run replays the inputs under {@code RealProtocolFramingFuzzTestsInputs/};
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class RealProtocolFramingFuzzTests {

	private static final Framing[] DECODED = { Framing.RESP, Framing.REPLY_CODE, Framing.HTTP, Framing.MQTT,
			Framing.POSTGRES, Framing.MODBUS, Framing.SYSLOG_OCTET, Framing.DNS_TCP, Framing.KAFKA,
			Framing.fromMembers(Map.of("type", "delimiter", "delimiters", List.of("\r\nEND\r\n", "\n", "ab"))),
			Framing.fromMembers(Map.of("type", "length", "offset", 1, "size", 2, "adjust", -1, "strip", 1)),
			Framing.fromMembers(Map.of("type", "length", "size", 3, "order", "little")),
			Framing.fromMembers(Map.of("type", "length", "size", 8)),
			Framing.fromMembers(Map.of("type", "varint", "offset", 2)), Framing.fromMembers(Map.of("type", "varint")),
			Framing.fromMembers(Map.of("type", "lines", "until", "^(END|[0-9]+ )")),
			Framing.fromMembers(Map.of("type", "lines", "until", "x$", "eol", "lf")),
			Framing.fromMembers(Map.of("type", "fixed", "size", 3)) };

	/** Framings whose send side writes what their receive side reads. */
	private static final Framing[] SYMMETRIC = { Framing.SYSLOG_OCTET, Framing.DNS_TCP, Framing.KAFKA,
			Framing.fromMembers(Map.of("type", "length", "size", 2, "order", "little")),
			Framing.fromMembers(Map.of("type", "length", "size", 3, "adjust", -3, "strip", 3)),
			Framing.fromMembers(Map.of("type", "varint")),
			Framing.fromMembers(Map.of("type", "delimiter", "delimiters", List.of("\r\nEND\r\n"))) };

	@FuzzTest
	void decodeArbitraryBytes(FuzzedDataProvider data) throws IOException {
		Framing framing = data.pickValue(DECODED);
		int max = data.consumeInt(0, 300);
		long seed = data.consumeLong();
		int chunkBound = data.consumeInt(1, 64);
		byte[] wire = data.consumeRemainingAsBytes();
		ScriptedInputStream in = ScriptedInputStream.of(wire).randomChunks(seed, chunkBound);
		FrameCodec codec = framing.codec(max);
		long framed = 0;
		for (int frames = 0; frames <= wire.length + 1; frames++) {
			Frame frame;
			try {
				frame = codec.deserialize(in);
			}
			catch (SoftEndOfStreamException ex) {
				assertThat(in.consumed()).as("a clean end follows whole frames").isEqualTo(framed);
				return;
			}
			catch (TruncatedFrameException ex) {
				assertThat(framed + ex.bytesRead()).isEqualTo(wire.length);
				return;
			}
			catch (FrameTooLargeException ex) {
				assertThat(ex.limit()).isEqualTo(max);
				return;
			}
			catch (MalformedFrameException ex) {
				assertThat(ex.getMessage()).contains(framing.value());
				return;
			}
			assertThat(frame.payload().length).isLessThanOrEqualTo(max);
			assertThat(frame.wireBytes()).isGreaterThanOrEqualTo(frame.payload().length);
			framed += frame.wireBytes();
			assertThat(in.consumed()).as("wireBytes counts what was read").isEqualTo(framed);
			if (frame.completedBy() == CompletedBy.CLOSED) {
				assertThat(framing).isEqualTo(Framing.HTTP);
				assertThat(framed).isEqualTo(wire.length);
				return;
			}
		}
		fail("a decoder returned more frames than bytes");
	}

	@FuzzTest
	void serializeThenDeserialize(FuzzedDataProvider data) throws IOException {
		Framing framing = data.pickValue(SYMMETRIC);
		int max = data.consumeInt(0, 300);
		long seed = data.consumeLong();
		int chunkBound = data.consumeInt(1, 64);
		int count = data.consumeInt(1, 5);
		List<byte[]> payloads = new ArrayList<>();
		RecordingOutputStream out = new RecordingOutputStream();
		FrameCodec codec = framing.codec(max);
		for (int i = 0; i < count; i++) {
			byte[] payload = data.consumeBytes(data.consumeInt(0, 300));
			if (payload.length < framing.minPayloadLength() || payload.length > framing.maxPayloadLength()
					|| contains(payload, "\r\nEND\r\n")) {
				continue;
			}
			payloads.add(payload);
			codec.serialize(payload, out);
		}
		ScriptedInputStream in = ScriptedInputStream.of(out.toByteArray()).randomChunks(seed, chunkBound);
		long expectedWire = 0;
		for (byte[] payload : payloads) {
			if (payload.length > max) {
				assertThatExceptionOfType(FrameTooLargeException.class).isThrownBy(() -> codec.deserialize(in));
				return;
			}
			Frame frame = codec.deserialize(in);
			assertThat(frame.payload()).isEqualTo(payload);
			assertThat((long) frame.wireBytes()).isEqualTo(framing.wireBytes(payload.length));
			expectedWire += frame.wireBytes();
		}
		assertThat(in.consumed()).isEqualTo(out.size()).isEqualTo(expectedWire);
	}

	private static boolean contains(byte[] payload, String text) {
		return new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1).contains(text)
				|| new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1).endsWith("\r\nEND\r")
				|| new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1).endsWith("\r\nEND")
				|| new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1).endsWith("\r\nEN")
				|| new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1).endsWith("\r\nE")
				|| new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1).endsWith("\r\n")
				|| new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1).endsWith("\r");
	}

}
