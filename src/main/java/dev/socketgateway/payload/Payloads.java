package dev.socketgateway.payload;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decodes request payloads and encodes replies in the API's encodings.
 */
public final class Payloads {

	private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	/** Value of each ASCII hex digit, -1 for anything else. */
	private static final byte[] HEX_VALUES = new byte[128];

	/** Value of each ASCII base64 character of both alphabets, -1 for anything else. */
	private static final byte[] BASE64_VALUES = new byte[128];

	static {
		Arrays.fill(HEX_VALUES, (byte) -1);
		for (int i = 0; i < 10; i++) {
			HEX_VALUES['0' + i] = (byte) i;
		}
		for (int i = 0; i < 6; i++) {
			HEX_VALUES['a' + i] = (byte) (10 + i);
			HEX_VALUES['A' + i] = (byte) (10 + i);
		}
		Arrays.fill(BASE64_VALUES, (byte) -1);
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
		for (int i = 0; i < alphabet.length(); i++) {
			BASE64_VALUES[alphabet.charAt(i)] = (byte) i;
		}
		BASE64_VALUES['+'] = 62;
		BASE64_VALUES['-'] = 62;
		BASE64_VALUES['/'] = 63;
		BASE64_VALUES['_'] = 63;
	}

	private Payloads() {
	}

	/**
	 * Decodes a payload string.
	 * <p>
	 * Hex ignores whitespace, {@code :}, {@code -} and a {@code 0x}/{@code 0X} at the
	 * start of the string or after a separator; base64 accepts both alphabets, optional
	 * padding and whitespace; utf8 rejects unpaired surrogates.
	 * @param payload the string
	 * @param encoding its encoding
	 * @return the bytes
	 * @throws InvalidPayloadException naming the position of the first bad character
	 */
	public static byte[] decode(String payload, Encoding encoding) {
		return switch (encoding) {
			case UTF8 -> decodeUtf8(payload);
			case HEX -> decodeHex(payload);
			case BASE64 -> decodeBase64(payload);
		};
	}

	/**
	 * Encodes bytes; utf8 bytes that are not valid UTF-8 come back as base64.
	 * @param bytes the bytes
	 * @param encoding the wanted encoding
	 * @return the string and the encoding actually used
	 */
	public static EncodedPayload encode(byte[] bytes, Encoding encoding) {
		return switch (encoding) {
			case UTF8 -> encodeUtf8(bytes);
			case HEX -> new EncodedPayload(encodeHex(bytes), Encoding.HEX);
			case BASE64 -> new EncodedPayload(Base64.getEncoder().encodeToString(bytes), Encoding.BASE64);
		};
	}

	private static byte[] decodeUtf8(String payload) {
		// getBytes would silently send '?' for an unpaired surrogate; the caller
		// should learn that the string cannot be sent as it is
		for (int i = 0; i < payload.length(); i++) {
			char c = payload.charAt(i);
			if (Character.isSurrogate(c)) {
				if (Character.isHighSurrogate(c) && i + 1 < payload.length()
						&& Character.isLowSurrogate(payload.charAt(i + 1))) {
					i++;
				}
				else {
					throw new InvalidPayloadException("unpaired surrogate " + describe(payload, i) + " at position " + i
							+ ": the string cannot be encoded as UTF-8", i);
				}
			}
		}
		return payload.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] decodeHex(String payload) {
		int length = payload.length();
		byte[] out = new byte[length / 2];
		int count = 0;
		int high = -1;
		int highPosition = -1;
		// a 0x prefix is only recognised where a token starts on a byte boundary, so
		// that "10x5" is an error rather than a silent guess
		boolean tokenStart = true;
		for (int i = 0; i < length; i++) {
			char c = payload.charAt(i);
			// digits first: they are nearly every character of a large payload
			int value = (c < 128) ? HEX_VALUES[c] : -1;
			if (value < 0) {
				if (!isHexSeparator(c)) {
					throw new InvalidPayloadException(
							"invalid hex character " + describe(payload, i) + " at position " + i, i);
				}
				tokenStart = true;
				continue;
			}
			if (tokenStart) {
				tokenStart = false;
				if (c == '0' && high < 0 && i + 1 < length && (payload.charAt(i + 1) | 0x20) == 'x') {
					i++;
					continue;
				}
			}
			if (high < 0) {
				high = value;
				highPosition = i;
			}
			else {
				out[count++] = (byte) ((high << 4) | value);
				high = -1;
			}
		}
		if (high >= 0) {
			int digits = count * 2 + 1;
			throw new InvalidPayloadException(
					"odd number of hex digits (" + digits + "): hex needs two per byte; the last digit "
							+ describe(payload, highPosition) + " at position " + highPosition + " has no partner",
					highPosition);
		}
		return (count == out.length) ? out : Arrays.copyOf(out, count);
	}

	private static boolean isHexSeparator(char c) {
		return c == ':' || c == '-' || isWhitespace(c);
	}

	private static byte[] decodeBase64(String payload) {
		int length = payload.length();
		byte[] out = new byte[(int) ((long) length * 3 / 4)];
		int count = 0;
		int accumulator = 0;
		int sextets = 0;
		int lastPosition = -1;
		int padding = 0;
		for (int i = 0; i < length; i++) {
			char c = payload.charAt(i);
			int value = (c < 128) ? BASE64_VALUES[c] : -1;
			// alphabet characters first: they are nearly every character of a payload
			if (value < 0 || padding > 0) {
				if (isWhitespace(c)) {
					continue;
				}
				if (c == '=') {
					// padding may only complete the last group: two after 2 characters,
					// one after 3
					int allowed = (sextets == 2) ? 2 : (sextets == 3) ? 1 : 0;
					if (padding >= allowed) {
						throw new InvalidPayloadException(
								"unexpected base64 padding '=' at position " + i + ": padding only ends the data", i);
					}
					padding++;
					continue;
				}
				String what = (value < 0) ? "invalid base64 character " : "base64 character after padding ";
				throw new InvalidPayloadException(what + describe(payload, i) + " at position " + i, i);
			}
			accumulator = (accumulator << 6) | value;
			lastPosition = i;
			if (++sextets == 4) {
				out[count++] = (byte) (accumulator >> 16);
				out[count++] = (byte) (accumulator >> 8);
				out[count++] = (byte) accumulator;
				accumulator = 0;
				sextets = 0;
			}
		}
		if (sextets == 1) {
			throw new InvalidPayloadException("base64 length is invalid: the character at position " + lastPosition
					+ " is left over (the last group needs 2, 3 or 4 characters)", lastPosition);
		}
		if (sextets == 2) {
			out[count++] = (byte) (accumulator >> 4);
		}
		else if (sextets == 3) {
			out[count++] = (byte) (accumulator >> 10);
			out[count++] = (byte) (accumulator >> 2);
		}
		return (count == out.length) ? out : Arrays.copyOf(out, count);
	}

	private static boolean isWhitespace(char c) {
		return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
	}

	/**
	 * Quotes the character at a position, or names its code point when printing it would
	 * not help (controls, non-ASCII look-alikes).
	 */
	private static String describe(String payload, int position) {
		char c = payload.charAt(position);
		if (c > 0x20 && c < 0x7F) {
			return "'" + c + "'";
		}
		int codePoint = payload.codePointAt(position);
		return String.format("U+%04X", codePoint);
	}

	private static String encodeHex(byte[] bytes) {
		byte[] chars = new byte[bytes.length * 2];
		for (int i = 0; i < bytes.length; i++) {
			chars[2 * i] = HEX_DIGITS[(bytes[i] >> 4) & 0xF];
			chars[2 * i + 1] = HEX_DIGITS[bytes[i] & 0xF];
		}
		// Latin-1 bytes become a compact String without a second decoding pass
		return new String(chars, StandardCharsets.ISO_8859_1);
	}

	private static EncodedPayload encodeUtf8(byte[] bytes) {
		try {
			String text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
			return new EncodedPayload(text, Encoding.UTF8);
		}
		catch (CharacterCodingException ex) {
			return new EncodedPayload(Base64.getEncoder().encodeToString(bytes), Encoding.BASE64);
		}
	}

}
