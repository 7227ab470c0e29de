package dev.socketgateway.listener.rules;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a rule does with the client's connection once its answer is written.
 */
public enum Then {

	/** Stay open (the default). */
	KEEP("keep"),
	/** Close the connection after the answer: the client reads EOF. */
	CLOSE("close"),
	/** Reset the connection after the answer (SO_LINGER 0): the client sees RST. */
	RESET("reset");

	private final String value;

	Then(String value) {
		this.value = value;
	}

	@JsonValue
	public String value() {
		return this.value;
	}

	/**
	 * Parses the API spelling, any case.
	 * @param value the spelling
	 * @return the value
	 * @throws IllegalArgumentException for anything else
	 */
	@JsonCreator
	public static Then of(String value) {
		String lower = value.toLowerCase(Locale.ROOT);
		for (Then then : values()) {
			if (then.value.equals(lower)) {
				return then;
			}
		}
		throw new IllegalArgumentException("unknown then '" + value + "': use keep, close or reset");
	}

	@Override
	public String toString() {
		return this.value;
	}

}
