package dev.socketgateway.payload;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a reply ended.
 */
public enum CompletedBy {

	/** A delimiter framing found its delimiter. */
	DELIMITER("delimiter"),
	/** A length-prefixed frame was complete. */
	LENGTH("length"),
	/** The peer closed the connection ({@code raw} only). */
	CLOSED("closed"),
	/** Nothing arrived for {@code idleMs} after the last byte ({@code raw} only). */
	IDLE("idle"),
	/** {@code maxReplyBytes} were read ({@code raw} only). */
	MAX_BYTES("max-bytes"),
	/** No reply was awaited. */
	SENT("sent");

	private final String value;

	CompletedBy(String value) {
		this.value = value;
	}

	@JsonValue
	public String value() {
		return this.value;
	}

	@Override
	public String toString() {
		return this.value;
	}

}
