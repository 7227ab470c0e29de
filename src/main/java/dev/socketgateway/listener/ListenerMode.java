package dev.socketgateway.listener;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a listener does with what its clients send: record it, or record it and send it
 * back.
 */
enum ListenerMode {

	/** Record only. */
	CAPTURE("capture"),
	/** Record and send each message back to its sender. */
	ECHO("echo");

	private final String value;

	ListenerMode(String value) {
		this.value = value;
	}

	@JsonValue
	String value() {
		return this.value;
	}

	/**
	 * Parses {@code capture} or {@code echo}, any case.
	 * @param value the spelling
	 * @return the mode
	 * @throws IllegalArgumentException for anything else
	 */
	@JsonCreator
	static ListenerMode of(String value) {
		String lower = value.toLowerCase(Locale.ROOT);
		for (ListenerMode mode : values()) {
			if (mode.value.equals(lower)) {
				return mode;
			}
		}
		throw new IllegalArgumentException("unknown mode '" + value + "': use capture or echo");
	}

	@Override
	public String toString() {
		return this.value;
	}

}
