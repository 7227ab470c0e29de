package dev.socketgateway.payload;

import java.util.Base64;
import java.util.HexFormat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the payload decoders: they fail only with {@link InvalidPayloadException} naming
 * a position inside the string, and what they accept round-trips.
 * <p>
 * A plain test run replays the inputs under {@code PayloadsFuzzTestsInputs/};
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class PayloadsFuzzTests {

	@FuzzTest
	void hexDecode(@NotNull String payload) {
		byte[] reference = referenceHex(payload);
		byte[] bytes;
		try {
			bytes = Payloads.decode(payload, Encoding.HEX);
		}
		catch (InvalidPayloadException ex) {
			assertThat(ex.position()).isBetween(0, payload.length() - 1);
			assertThat(ex.getMessage()).contains("position " + ex.position());
			assertThat(reference).as("the reference decodes %s", payload).isNull();
			return;
		}
		assertThat(bytes).isEqualTo(reference);
		EncodedPayload encoded = Payloads.encode(bytes, Encoding.HEX);
		assertThat(Payloads.decode(encoded.payload(), Encoding.HEX)).isEqualTo(bytes);
	}

	@FuzzTest
	void base64Decode(@NotNull String payload) {
		byte[] bytes;
		try {
			bytes = Payloads.decode(payload, Encoding.BASE64);
		}
		catch (InvalidPayloadException ex) {
			assertThat(ex.position()).isBetween(0, payload.length() - 1);
			assertThat(ex.getMessage()).contains("position " + ex.position());
			assertThat(javaDecodes(payload)).as("the JDK accepts %s", payload).isNull();
			return;
		}
		byte[] reference = javaDecodes(payload);
		if (reference != null) {
			assertThat(bytes).isEqualTo(reference);
		}
		assertThat(Payloads.decode(Payloads.encode(bytes, Encoding.BASE64).payload(), Encoding.BASE64))
			.isEqualTo(bytes);
	}

	@FuzzTest
	void utf8RoundTrip(@NotNull String payload) {
		byte[] bytes;
		try {
			bytes = Payloads.decode(payload, Encoding.UTF8);
		}
		catch (InvalidPayloadException ex) {
			assertThat(Character.isSurrogate(payload.charAt(ex.position()))).isTrue();
			return;
		}
		assertThat(Payloads.encode(bytes, Encoding.UTF8)).isEqualTo(new EncodedPayload(payload, Encoding.UTF8));
	}

	@FuzzTest
	void encodeThenDecode(byte @NotNull [] bytes) {
		for (Encoding encoding : Encoding.values()) {
			EncodedPayload encoded = Payloads.encode(bytes, encoding);
			assertThat(Payloads.decode(encoded.payload(), encoded.encoding())).isEqualTo(bytes);
		}
	}

	/**
	 * A slow, token-based reading of the tolerant hex rules: split on separators, drop a
	 * {@code 0x} that starts a token on a byte boundary, and let the JDK parse the rest;
	 * null where it is not hex.
	 */
	private static byte[] referenceHex(String payload) {
		StringBuilder digits = new StringBuilder();
		for (String token : payload.split("[ \\t\\n\\r\\f\\u000b:-]+", -1)) {
			String rest = token;
			if (digits.length() % 2 == 0 && (rest.startsWith("0x") || rest.startsWith("0X"))) {
				rest = rest.substring(2);
			}
			if (!rest.chars()
				.allMatch((c) -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
				return null;
			}
			digits.append(rest);
		}
		return (digits.length() % 2 == 0) ? HexFormat.of().parseHex(digits) : null;
	}

	/**
	 * The JDK's decoder on the same string with whitespace removed and the URL-safe
	 * alphabet mapped to the standard one, or null where it refuses it.
	 */
	private static byte[] javaDecodes(String payload) {
		StringBuilder normalized = new StringBuilder(payload.length());
		for (int i = 0; i < payload.length(); i++) {
			char c = payload.charAt(i);
			switch (c) {
				case ' ', '\t', '\n', '\r', '\f', '\u000b' -> {
				}
				case '-' -> normalized.append('+');
				case '_' -> normalized.append('/');
				default -> normalized.append(c);
			}
		}
		try {
			return Base64.getDecoder().decode(normalized.toString());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
