package dev.socketgateway.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import dev.socketgateway.GatewayException;
import dev.socketgateway.payload.EncodedPayload;
import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.FrameCodec;
import dev.socketgateway.payload.FrameTooLargeException;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.payload.InvalidPayloadException;
import dev.socketgateway.payload.Payloads;
import dev.socketgateway.payload.TruncatedFrameException;
import dev.socketgateway.egress.HostLiterals;
import dev.socketgateway.egress.TargetPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz tests for everything that parses untrusted input: payload decoding, every
 * framing decoder, policy rules and host literals. {@code ./mvnw verify} replays the
 * regression inputs under {@code src/test/resources/.../ParserFuzzTestsInputs}; the
 * {@code fuzz} profile ({@code JAZZER_FUZZ=1}) fuzzes for real.
 */
class ParserFuzzTests {

	private static final int MAX_FRAME = 64;

	@FuzzTest(maxDuration = "2m")
	void payloadDecodingOnlyRejectsWithInvalidPayload(FuzzedDataProvider data) {
		Encoding encoding = data.pickValue(Encoding.values());
		String payload = data.consumeRemainingAsString();
		byte[] bytes;
		try {
			bytes = Payloads.decode(payload, encoding);
		}
		catch (InvalidPayloadException ex) {
			assertThat(ex.position()).isBetween(0, payload.length());
			return;
		}
		// whatever decodes, encodes and decodes back to the same bytes
		EncodedPayload encoded = Payloads.encode(bytes, encoding);
		assertThat(Payloads.decode(encoded.payload(), encoded.encoding())).isEqualTo(bytes);
	}

	@FuzzTest(maxDuration = "2m")
	void framingDecodersOnlyThrowTheirDocumentedExceptions(FuzzedDataProvider data) throws IOException {
		Framing framing = data.pickValue(Framing.values());
		byte[] wire = data.consumeRemainingAsBytes();
		FrameCodec codec = framing.codec(MAX_FRAME);
		ByteArrayInputStream in = new ByteArrayInputStream(wire);
		for (int frames = 0; frames <= wire.length + 1; frames++) {
			try {
				Frame frame = codec.deserialize(in);
				assertThat(frame.payload().length).isLessThanOrEqualTo(MAX_FRAME);
				if (framing.isRaw()) {
					return;
				}
			}
			catch (SoftEndOfStreamException | TruncatedFrameException | FrameTooLargeException ex) {
				return;
			}
		}
		throw new AssertionError("the decoder kept returning frames past the end of " + wire.length + " bytes");
	}

	@FuzzTest(maxDuration = "2m")
	void policyRulesOnlyRejectWithIllegalArgument(FuzzedDataProvider data) {
		List<String> allow = new ArrayList<>();
		List<String> deny = new ArrayList<>();
		int rules = data.consumeInt(0, 4);
		for (int i = 0; i < rules; i++) {
			(data.consumeBoolean() ? allow : deny).add(data.consumeString(60));
		}
		try {
			TargetPolicy policy = TargetPolicy.of(allow, deny);
			assertThat(policy.allowRules()).hasSize(allow.size());
		}
		catch (IllegalArgumentException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

	@FuzzTest(maxDuration = "2m")
	void hostLiteralsOnlyRejectWithValidationFailed(FuzzedDataProvider data) throws Exception {
		String host = data.consumeRemainingAsString();
		InetAddress address;
		try {
			address = HostLiterals.parseLiteral(host);
		}
		catch (GatewayException ex) {
			assertThat(ex.code()).hasToString("VALIDATION_FAILED");
			return;
		}
		if (address != null) {
			// a literal prints canonically and reads back as itself
			assertThat(HostLiterals.parseLiteral(HostLiterals.toText(address))).isEqualTo(address);
		}
	}

}
