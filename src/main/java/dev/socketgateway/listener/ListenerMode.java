package dev.socketgateway.listener;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a listener does with what its clients send; it records it in every mode.
 */
enum ListenerMode {

	/** Records only. */
	CAPTURE("capture"),
	/** Sends each message back. */
	ECHO("echo"),
	/** Answers by rules. */
	RULES("rules"),
	/** Relays to and from an upstream, recording both directions. */
	PROXY("proxy");

	private final String value;

	ListenerMode(String value) {
		this.value = value;
	}

	@JsonValue
	String value() {
		return this.value;
	}

	@JsonCreator
	static ListenerMode of(String value) {
		String lower = value.toLowerCase(Locale.ROOT);
		for (ListenerMode mode : values()) {
			if (mode.value.equals(lower)) {
				return mode;
			}
		}
		throw new IllegalArgumentException("unknown mode '" + value + "': use capture, echo, rules or proxy");
	}

	@Override
	public String toString() {
		return this.value;
	}

}
