package dev.socketgateway.payload;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a TCP message ends on the wire; the gateway adds the framing on send and strips
 * it on receive.
 */
public enum Framing {

	/** Message + CR LF. */
	CRLF("crlf", 2, Integer.MAX_VALUE),
	/** Message + LF. */
	LF("lf", 1, Integer.MAX_VALUE),
	/** Message + 0x00. */
	NUL("nul", 1, Integer.MAX_VALUE),
	/** 0x02 + message + 0x03. */
	STX_ETX("stx-etx", 2, Integer.MAX_VALUE),
	/** One-byte big-endian length, then the message. */
	LENGTH1("length1", 1, 0xFF),
	/** Two-byte big-endian length, then the message. */
	LENGTH2("length2", 2, 0xFFFF),
	/** Four-byte big-endian length, then the message. */
	LENGTH4("length4", 4, Integer.MAX_VALUE),
	/** Bytes as they are. */
	RAW("raw", 0, Integer.MAX_VALUE);

	private final String value;

	private final int overhead;

	private final int maxPayloadLength;

	Framing(String value, int overhead, int maxPayloadLength) {
		this.value = value;
		this.overhead = overhead;
		this.maxPayloadLength = maxPayloadLength;
	}

	@JsonValue
	public String value() {
		return this.value;
	}

	/**
	 * Parses the API spelling, any case.
	 * @param value the spelling
	 * @return the framing
	 * @throws IllegalArgumentException for anything else
	 */
	@JsonCreator
	public static Framing of(String value) {
		String lower = value.toLowerCase(Locale.ROOT);
		for (Framing framing : values()) {
			if (framing.value.equals(lower)) {
				return framing;
			}
		}
		throw new IllegalArgumentException(
				"unknown framing '" + value + "': use crlf, lf, nul, stx-etx, length1, length2, length4 or raw");
	}

	/**
	 * Bytes the framing adds to each message on the wire.
	 * @return the overhead
	 */
	public int overhead() {
		return this.overhead;
	}

	/**
	 * Wire bytes of one message of the given payload length, framing included.
	 * @param payloadLength payload bytes
	 * @return wire bytes
	 */
	public long wireBytes(int payloadLength) {
		return (long) payloadLength + this.overhead;
	}

	/**
	 * Longest payload the framing can carry (255 for {@code length1}, 65535 for
	 * {@code length2}).
	 * @return the length
	 */
	public int maxPayloadLength() {
		return this.maxPayloadLength;
	}

	public boolean isRaw() {
		return this == RAW;
	}

	/**
	 * How a complete frame of this framing ends.
	 * @return {@code delimiter} or {@code length}
	 */
	public CompletedBy completedBy() {
		return switch (this) {
			case LENGTH1, LENGTH2, LENGTH4 -> CompletedBy.LENGTH;
			case RAW -> CompletedBy.CLOSED;
			default -> CompletedBy.DELIMITER;
		};
	}

	/**
	 * A codec for this framing: a Spring Integration serializer and deserializer that
	 * never buffers more than {@code maxFrameBytes} of one frame.
	 * @param maxFrameBytes largest accepted frame payload
	 * @return the codec; for {@code raw} one that reads to close, idle or max bytes
	 */
	public FrameCodec codec(int maxFrameBytes) {
		return switch (this) {
			case CRLF -> new DelimiterCodec(this, new byte[0], new byte[] { '\r', '\n' }, maxFrameBytes);
			case LF -> new DelimiterCodec(this, new byte[0], new byte[] { '\n' }, maxFrameBytes);
			case NUL -> new DelimiterCodec(this, new byte[0], new byte[] { 0 }, maxFrameBytes);
			case STX_ETX -> new DelimiterCodec(this, new byte[] { 0x02 }, new byte[] { 0x03 }, maxFrameBytes);
			case LENGTH1, LENGTH2, LENGTH4 -> new LengthPrefixCodec(this, this.overhead, maxFrameBytes);
			case RAW -> new RawCodec(maxFrameBytes, false);
		};
	}

	/**
	 * A {@code raw} codec for one-shot reads: ends on close, on a socket read timeout
	 * after the first byte (idle), or at {@code maxBytes}.
	 * @param maxBytes most bytes of one reply
	 * @return the codec
	 */
	public static FrameCodec rawCodec(int maxBytes) {
		return new RawCodec(maxBytes, false);
	}

	/**
	 * A {@code raw} codec for long-lived connections: each read that returns data is one
	 * message.
	 * @param maxBytes most bytes of one message
	 * @return the codec
	 */
	public static FrameCodec rawChunkCodec(int maxBytes) {
		return new RawCodec(maxBytes, true);
	}

	@Override
	public String toString() {
		return this.value;
	}

}
