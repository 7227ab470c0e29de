package dev.socketgateway.payload;

import java.io.IOException;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FramingTests {

	@ParameterizedTest
	@ValueSource(strings = { "crlf", "lf", "nul", "stx-etx", "length1", "length2", "length4", "raw" })
	void codecAddsExactlyTheAdvertisedOverhead(Framing framing) throws IOException {
		Random random = new Random(framing.hashCode());
		for (int length : new int[] { 0, 1, 2, 255 }) {
			byte[] payload = new byte[length];
			random.nextBytes(payload);
			RecordingOutputStream out = new RecordingOutputStream();
			framing.codec(1024).serialize(payload, out);
			assertThat((long) out.size()).isEqualTo(framing.wireBytes(length));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "crlf", "lf", "nul", "stx-etx", "length1", "length2", "length4", "raw" })
	void parsesItsOwnSpellingInAnyCase(Framing framing) {
		assertThat(Framing.of(framing.value().toUpperCase(Locale.ROOT))).isSameAs(framing);
		assertThat(framing).hasToString(framing.value());
		assertThat(framing.isRaw()).isEqualTo(framing == Framing.RAW);
	}

	@Test
	void rejectsUnknownFramingsListingTheValidOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> Framing.of("null")).withMessageContaining("nul, stx-etx");
		assertThat(CompletedBy.MAX_BYTES.value()).isEqualTo("max-bytes");
		assertThat(CompletedBy.IDLE).hasToString("idle");
	}

	@ParameterizedTest
	@ValueSource(strings = { "crlf", "lf", "nul", "stx-etx", "length1", "length2", "length4", "raw" })
	void codecKeepsTheLimit(Framing framing) {
		assertThat(framing.codec(1234).maxFrameBytes()).isEqualTo(1234);
	}

	@ParameterizedTest
	@ValueSource(strings = { "crlf", "lf", "nul", "stx-etx", "length1", "length2", "length4" })
	void serializedFramesReadBackWithTheFramingsCompletion(Framing framing) throws IOException {
		byte[] payload = "round trip".getBytes();
		RecordingOutputStream out = new RecordingOutputStream();
		FrameCodec codec = framing.codec(1024);
		codec.serialize(payload, out);
		Frame frame = codec.deserialize(ScriptedInputStream.of(out.toByteArray()));
		assertThat(frame.payload()).isEqualTo(payload);
		assertThat((long) frame.wireBytes()).isEqualTo(framing.wireBytes(payload.length));
		assertThat(frame.completedBy()).isEqualTo(framing.completedBy());
	}

}
