package dev.socketgateway.payload;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PayloadsTests {

	private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

	private static byte[] hex(String digits) {
		return HexFormat.of().parseHex(digits);
	}

	@Nested
	class DecodeHex {

		@ParameterizedTest
		@ValueSource(strings = { "48656c6c6f", "48656C6C6F", "48 65 6c 6c 6f", "48:65:6C:6c:6F", "48-65-6c-6c-6f",
				"0x48 0x65 0x6c 0x6c 0x6f", "0X48 0X65 0X6C 0X6C 0X6F", "0x48656c6c6f", "4865 6c6C 6f",
				"48\t65\n6c\r\n6c\f6f\u000b", "  0x48:0X65-6c 6C 6f  ", "0x48-0x65:0x6c\t0x6c 0x6f",
				"4 8 6 5 6 c 6 c 6 f" })
		void toleratesSeparatorsPrefixesAndCase(String payload) {
			assertThat(Payloads.decode(payload, Encoding.HEX)).isEqualTo(HELLO);
		}

		@ParameterizedTest
		@ValueSource(strings = { "", " ", ":-", "0x", " 0X " })
		void nothingButSeparatorsIsEmpty(String payload) {
			assertThat(Payloads.decode(payload, Encoding.HEX)).isEmpty();
		}

		@Test
		void everyByteValue() {
			byte[] all = new byte[256];
			for (int i = 0; i < all.length; i++) {
				all[i] = (byte) i;
			}
			String upper = HexFormat.of().withUpperCase().formatHex(all);
			assertThat(Payloads.decode(upper, Encoding.HEX)).isEqualTo(all);
			assertThat(Payloads.decode(upper.toLowerCase(), Encoding.HEX)).isEqualTo(all);
		}

		@Test
		void badCharacterNamesPositionAndCharacter() {
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("0x48 g5", Encoding.HEX))
				.withMessage("invalid hex character 'g' at position 5")
				.satisfies((ex) -> assertThat(ex.position()).isEqualTo(5));
		}

		@Test
		void firstBadCharacterWins() {
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("4z6y", Encoding.HEX))
				.satisfies((ex) -> assertThat(ex.position()).isEqualTo(1));
		}

		@Test
		void nonAsciiCharacterIsNamedByCodePoint() {
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("48\u00e9", Encoding.HEX))
				.withMessage("invalid hex character U+00E9 at position 2");
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("48😀", Encoding.HEX))
				.withMessage("invalid hex character U+1F600 at position 2");
			// fullwidth digits are digits to Character.digit, not to a hex payload
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("4\uff18", Encoding.HEX))
				.satisfies((ex) -> assertThat(ex.position()).isEqualTo(1));
		}

		@Test
		void controlCharacterIsNamedByCodePoint() {
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("48\u0000", Encoding.HEX))
				.withMessage("invalid hex character U+0000 at position 2");
		}

		@Test
		void otherPunctuationIsNotASeparator() {
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("48,65", Encoding.HEX))
				.withMessage("invalid hex character ',' at position 2");
		}

		@Test
		void oddDigitCountNamesCountAndLoneDigit() {
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("48 6", Encoding.HEX))
				.withMessageContaining("odd number of hex digits (3)")
				.withMessageContaining("two per byte")
				.withMessageContaining("'6' at position 3")
				.satisfies((ex) -> assertThat(ex.position()).isEqualTo(3));
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("a", Encoding.HEX))
				.withMessageContaining("(1)")
				.satisfies((ex) -> assertThat(ex.position()).isZero());
		}

		@Test
		void zeroXOnlyCountsAsPrefixWhereATokenStarts() {
			// inside a token the x is an error, not silently skipped
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("10x5", Encoding.HEX))
				.withMessage("invalid hex character 'x' at position 2");
			// after a lone digit the 0 is that byte's second digit
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("4 0x8", Encoding.HEX))
				.withMessage("invalid hex character 'x' at position 3");
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("0 0x5", Encoding.HEX))
				.withMessage("invalid hex character 'x' at position 3");
			assertThat(Payloads.decode("00 0x00", Encoding.HEX)).containsExactly(0, 0);
			assertThat(Payloads.decode("0000", Encoding.HEX)).containsExactly(0, 0);
		}

		@ParameterizedTest
		@ValueSource(strings = { "0", "48 0", "480", "0x0" })
		void loneZeroIsAnOddDigitNotAPrefix(String payload) {
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode(payload, Encoding.HEX))
				.withMessageContaining("odd number of hex digits")
				.satisfies((ex) -> assertThat(ex.position()).isEqualTo(payload.length() - 1));
		}

		@ParameterizedTest
		@ValueSource(chars = { '\u007f', '\u0080', '\u00ff', '\u0100' })
		void charactersJustPastAsciiAreInvalid(char c) {
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("4" + c, Encoding.HEX))
				.satisfies((ex) -> assertThat(ex.position()).isEqualTo(1));
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("SGV" + c, Encoding.BASE64))
				.satisfies((ex) -> assertThat(ex.position()).isEqualTo(3));
		}

		@Test
		void prefixWithoutDigitsIsNotADigit() {
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("0x4", Encoding.HEX))
				.withMessageContaining("(1)")
				.satisfies((ex) -> assertThat(ex.position()).isEqualTo(2));
		}

		@Test
		void oneMebibyteDecodes() {
			byte[] bytes = new byte[1024 * 1024];
			new Random(7).nextBytes(bytes);
			assertThat(Payloads.decode(HexFormat.of().formatHex(bytes), Encoding.HEX)).isEqualTo(bytes);
		}

	}

	@Nested
	class DecodeBase64 {

		@ParameterizedTest
		@ValueSource(strings = { "SGVsbG8=", "SGVsbG8", "SGVs\nbG8=", " S G V s b G 8 = ", "SGVsbG8=\r\n" })
		void standardWithOrWithoutPaddingAndWhitespace(String payload) {
			assertThat(Payloads.decode(payload, Encoding.BASE64)).isEqualTo(HELLO);
		}

		@Test
		void bothAlphabets() {
			byte[] bytes = hex("fbff");
			assertThat(Payloads.decode("+/8=", Encoding.BASE64)).isEqualTo(bytes);
			assertThat(Payloads.decode("-_8=", Encoding.BASE64)).isEqualTo(bytes);
			assertThat(Payloads.decode("-_8", Encoding.BASE64)).isEqualTo(bytes);
		}

		@Test
		void everyLengthRoundTrips() {
			Random random = new Random(42);
			for (int length = 0; length < 70; length++) {
				byte[] bytes = new byte[length];
				random.nextBytes(bytes);
				String standard = Base64.getEncoder().encodeToString(bytes);
				String urlUnpadded = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
				String mime = Base64.getMimeEncoder(8, "\r\n".getBytes(StandardCharsets.US_ASCII))
					.encodeToString(bytes);
				assertThat(Payloads.decode(standard, Encoding.BASE64)).as(standard).isEqualTo(bytes);
				assertThat(Payloads.decode(urlUnpadded, Encoding.BASE64)).as(urlUnpadded).isEqualTo(bytes);
				assertThat(Payloads.decode(mime, Encoding.BASE64)).as(mime).isEqualTo(bytes);
			}
		}

		@ParameterizedTest
		@ValueSource(strings = { "", " ", "\n" })
		void emptyIsEmpty(String payload) {
			assertThat(Payloads.decode(payload, Encoding.BASE64)).isEmpty();
		}

		@Test
		void invalidCharacterNamesPosition() {
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("SGV$bG8=", Encoding.BASE64))
				.withMessage("invalid base64 character '$' at position 3")
				.satisfies((ex) -> assertThat(ex.position()).isEqualTo(3));
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("SGVs\u00e9", Encoding.BASE64))
				.withMessage("invalid base64 character U+00E9 at position 4");
		}

		@Test
		void oneLeftOverCharacterIsNotBase64() {
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("SGVsb", Encoding.BASE64))
				.withMessageContaining("length")
				.satisfies((ex) -> assertThat(ex.position()).isEqualTo(4));
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("S", Encoding.BASE64))
				.satisfies((ex) -> assertThat(ex.position()).isZero());
		}

		@Test
		void paddingOnlyEndsTheData() {
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("SGVsbG8=x", Encoding.BASE64))
				.withMessage("base64 character after padding 'x' at position 8");
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("SA==A", Encoding.BASE64))
				.withMessage("base64 character after padding 'A' at position 4");
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("SGVsbG8==", Encoding.BASE64))
				.satisfies((ex) -> assertThat(ex.position()).isEqualTo(8));
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("SGVs=", Encoding.BASE64))
				.satisfies((ex) -> assertThat(ex.position()).isEqualTo(4));
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("=", Encoding.BASE64))
				.satisfies((ex) -> assertThat(ex.position()).isZero());
			assertThat(Payloads.decode("SGk=", Encoding.BASE64)).isEqualTo("Hi".getBytes(StandardCharsets.US_ASCII));
			assertThat(Payloads.decode("SA==", Encoding.BASE64)).isEqualTo("H".getBytes(StandardCharsets.US_ASCII));
			assertThat(Payloads.decode("SA=", Encoding.BASE64)).isEqualTo("H".getBytes(StandardCharsets.US_ASCII));
		}

	}

	@Nested
	class Utf8 {

		@Test
		void roundTrips() {
			String text = "héllo ✓ 😀 \u0000 end";
			byte[] bytes = Payloads.decode(text, Encoding.UTF8);
			assertThat(bytes).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
			assertThat(Payloads.encode(bytes, Encoding.UTF8)).isEqualTo(new EncodedPayload(text, Encoding.UTF8));
		}

		@Test
		void emptyRoundTrips() {
			assertThat(Payloads.decode("", Encoding.UTF8)).isEmpty();
			assertThat(Payloads.encode(new byte[0], Encoding.UTF8)).isEqualTo(new EncodedPayload("", Encoding.UTF8));
		}

		@Test
		void unpairedSurrogateCannotBeSent() {
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("ab\ud83d", Encoding.UTF8))
				.withMessageContaining("U+D83D at position 2")
				.satisfies((ex) -> assertThat(ex.position()).isEqualTo(2));
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("a\ude00b", Encoding.UTF8))
				.satisfies((ex) -> assertThat(ex.position()).isEqualTo(1));
			assertThatExceptionOfType(InvalidPayloadException.class)
				.isThrownBy(() -> Payloads.decode("\ud83d\ud83d\ude00", Encoding.UTF8))
				.satisfies((ex) -> assertThat(ex.position()).isZero());
		}

		@ParameterizedTest
		@ValueSource(strings = { "ff", "c328", "c080", "eda080", "e282", "f4908080", "68656c6c6fff" })
		void invalidUtf8ComesBackAsBase64(String digits) {
			byte[] bytes = hex(digits);
			assertThat(Payloads.encode(bytes, Encoding.UTF8))
				.isEqualTo(new EncodedPayload(Base64.getEncoder().encodeToString(bytes), Encoding.BASE64));
		}

	}

	@Nested
	class Encode {

		@Test
		void encodingParsesTheApiSpellings() {
			assertThat(Encoding.of("HEX")).isEqualTo(Encoding.HEX);
			assertThat(Encoding.of("base64")).isEqualTo(Encoding.BASE64);
			assertThat(Encoding.UTF8.value()).isEqualTo("utf8");
			assertThat(Encoding.BASE64).hasToString("base64");
			assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> Encoding.of("latin1"))
				.withMessageContaining("utf8, hex or base64");
		}

		@Test
		void hexIsLowercaseWithoutSeparators() {
			assertThat(Payloads.encode(hex("00ABcdEF7f80"), Encoding.HEX))
				.isEqualTo(new EncodedPayload("00abcdef7f80", Encoding.HEX));
			assertThat(Payloads.encode(new byte[0], Encoding.HEX)).isEqualTo(new EncodedPayload("", Encoding.HEX));
		}

		@Test
		void hexRoundTripsEveryByte() {
			byte[] all = new byte[256];
			for (int i = 0; i < all.length; i++) {
				all[i] = (byte) i;
			}
			EncodedPayload encoded = Payloads.encode(all, Encoding.HEX);
			assertThat(encoded.payload()).isEqualTo(HexFormat.of().formatHex(all));
			assertThat(Payloads.decode(encoded.payload(), Encoding.HEX)).isEqualTo(all);
		}

		@Test
		void base64IsStandardWithPadding() {
			assertThat(Payloads.encode(hex("fbff"), Encoding.BASE64))
				.isEqualTo(new EncodedPayload("+/8=", Encoding.BASE64));
			assertThat(Payloads.encode(HELLO, Encoding.BASE64))
				.isEqualTo(new EncodedPayload("SGVsbG8=", Encoding.BASE64));
			assertThat(Payloads.encode(new byte[0], Encoding.BASE64))
				.isEqualTo(new EncodedPayload("", Encoding.BASE64));
		}

	}

}
