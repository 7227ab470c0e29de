package dev.socketgateway.egress;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Transport protocol of a target, listener or meter.
 */
public enum Protocol {

	/** TCP. */
	TCP("tcp"),
	/** UDP. */
	UDP("udp");

	private final String value;

	Protocol(String value) {
		this.value = value;
	}

	@JsonValue
	public String value() {
		return this.value;
	}

	/**
	 * Parses {@code tcp} or {@code udp}, any case.
	 * @param value the spelling
	 * @return the protocol
	 * @throws IllegalArgumentException for anything else
	 */
	@JsonCreator
	public static Protocol of(String value) {
		String lower = value.toLowerCase(Locale.ROOT);
		for (Protocol protocol : values()) {
			if (protocol.value.equals(lower)) {
				return protocol;
			}
		}
		throw new IllegalArgumentException("unknown protocol '" + value + "': use tcp or udp");
	}

	@Override
	public String toString() {
		return this.value;
	}

}
