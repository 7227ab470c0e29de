package dev.socketgateway.payload;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a payload string carries its bytes.
 */
public enum Encoding {

	/** UTF-8 text. */
	UTF8("utf8"),
	/** Hexadecimal digits, tolerant on input, lowercase on output. */
	HEX("hex"),
	/** Base64, standard or URL-safe on input, standard with padding on output. */
	BASE64("base64");

	private final String value;

	Encoding(String value) {
		this.value = value;
	}

	@JsonValue
	public String value() {
		return this.value;
	}

	/**
	 * Parses the API spelling ({@code utf8}, {@code hex}, {@code base64}, any case).
	 * @param value the spelling
	 * @return the encoding
	 * @throws IllegalArgumentException for anything else
	 */
	@JsonCreator
	public static Encoding of(String value) {
		String lower = value.toLowerCase(Locale.ROOT);
		for (Encoding encoding : values()) {
			if (encoding.value.equals(lower)) {
				return encoding;
			}
		}
		throw new IllegalArgumentException("unknown encoding '" + value + "': use utf8, hex or base64");
	}

	@Override
	public String toString() {
		return this.value;
	}

}
