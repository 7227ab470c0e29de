package dev.socketgateway.payload;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzes every framing: decoding arbitrary bytes ends only in the documented ways, and
 * what a codec writes it reads back, however the stream splits it.
 * <p>
 * A plain test run replays the inputs under {@code FrameCodecFuzzTestsInputs/};
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class FrameCodecFuzzTests {

	@FuzzTest
	void decodeArbitraryBytes(FuzzedDataProvider data) throws IOException {
		Framing framing = data.pickValue(Framing.values());
		// raw with a zero limit returns empty max-bytes replies without reading: a valid
		// answer, but one that never reaches the end of the stream
		int max = data.consumeInt(framing.isRaw() ? 1 : 0, 300);
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
				assertThat(framing.isRaw()).isFalse();
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
			assertThat(frame.payload().length).isLessThanOrEqualTo(max);
			assertThat(frame.wireBytes()).isGreaterThanOrEqualTo(frame.payload().length + framing.overhead());
			framed += frame.wireBytes();
			assertThat(in.consumed()).as("wireBytes counts what was read").isEqualTo(framed);
			if (framing.isRaw()) {
				assertThat(frame.completedBy()).isIn(CompletedBy.CLOSED, CompletedBy.MAX_BYTES);
				if (frame.completedBy() == CompletedBy.CLOSED) {
					assertThat(framed).isEqualTo(wire.length);
					return;
				}
			}
			else {
				assertThat(frame.completedBy()).isEqualTo(framing.completedBy());
			}
		}
		fail("a decoder returned more frames than bytes");
	}

	@FuzzTest
	void serializeThenDeserialize(FuzzedDataProvider data) throws IOException {
		Framing framing = data.pickValue(Framing.values());
		int max = data.consumeInt(framing.isRaw() ? 1 : 0, 300);
		long seed = data.consumeLong();
		int chunkBound = data.consumeInt(1, 64);
		int count = framing.isRaw() ? 1 : data.consumeInt(1, 5);
		List<byte[]> payloads = new ArrayList<>();
		RecordingOutputStream out = new RecordingOutputStream();
		FrameCodec codec = framing.codec(max);
		for (int i = 0; i < count; i++) {
			byte[] payload = data.consumeBytes(data.consumeInt(0, 300));
			if (!fitsFraming(framing, payload)) {
				continue;
			}
			payloads.add(payload);
			codec.serialize(payload, out);
		}
		ScriptedInputStream in = ScriptedInputStream.of(out.toByteArray()).randomChunks(seed, chunkBound);
		for (byte[] payload : payloads) {
			if (framing.isRaw()) {
				// raw has no frames: a reply ends at the limit or when the peer closes
				Frame frame = codec.deserialize(in);
				int expected = Math.min(payload.length, max);
				assertThat(frame.payload()).isEqualTo(Arrays.copyOf(payload, expected));
				assertThat(frame.completedBy())
					.isEqualTo((payload.length >= max) ? CompletedBy.MAX_BYTES : CompletedBy.CLOSED);
				return;
			}
			if (payload.length > max) {
				assertThatExceptionOfType(FrameTooLargeException.class).isThrownBy(() -> codec.deserialize(in));
				return;
			}
			Frame frame = codec.deserialize(in);
			assertThat(frame.payload()).isEqualTo(payload);
			assertThat((long) frame.wireBytes()).isEqualTo(framing.wireBytes(payload.length));
			assertThat(frame.completedBy()).isEqualTo(framing.completedBy());
		}
		assertThat(in.consumed()).isEqualTo(out.size());
	}

	/**
	 * Whether a payload can be framed: delimiter framings cannot carry their delimiter.
	 */
	private static boolean fitsFraming(Framing framing, byte[] payload) {
		if (payload.length > framing.maxPayloadLength()) {
			return false;
		}
		for (int i = 0; i < payload.length; i++) {
			byte b = payload[i];
			boolean delimiter = switch (framing.value()) {
				case "crlf" -> b == '\r' && i + 1 < payload.length && payload[i + 1] == '\n';
				case "lf" -> b == '\n';
				case "nul" -> b == 0;
				case "stx-etx" -> b == 0x03;
				default -> false;
			};
			if (delimiter) {
				return false;
			}
		}
		return true;
	}

}
