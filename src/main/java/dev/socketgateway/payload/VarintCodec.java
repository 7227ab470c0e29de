package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;

/**
 * A length in 7-bit groups, least significant first, high bit set on all but the last
 * byte (MQTT's variable byte integer, protobuf's varint), at most 4 bytes; then Netty's
 * length-field rule.
 */
final class VarintCodec extends ReadingCodec {

	/** Largest value 4 varint bytes hold. */
	static final long MAX_VALUE = (1L << 28) - 1;

	static final int MAX_BYTES = 4;

	private final int offset;

	private final int adjust;

	/** -1: strip the offset and the varint. */
	private final int strip;

	VarintCodec(Framing framing, int offset, int adjust, int strip, int maxFrameBytes) {
		super(framing, maxFrameBytes);
		this.offset = offset;
		this.adjust = adjust;
		this.strip = strip;
	}

	@Override
	public Frame deserialize(InputStream in) throws IOException {
		int max = maxFrameBytes();
		FrameInput frame = new FrameInput(in, name(), max, Long.MAX_VALUE);
		frame.next();
		frame.take(this.offset);
		// the byte at offset is the varint's first
		long value = 0;
		int bytes = 0;
		int b = frame.byteAt(this.offset);
		while (true) {
			value |= (long) (b & 0x7F) << (7 * bytes);
			bytes++;
			if ((b & 0x80) == 0) {
				break;
			}
			if (bytes == MAX_BYTES) {
				throw frame.tooLarge("has a varint length longer than " + MAX_BYTES + " bytes");
			}
			b = frame.next();
		}
		int header = this.offset + bytes;
		return LengthRule.complete(frame, header, value, this.adjust, (this.strip < 0) ? header : this.strip, max);
	}

	static int encodedLength(long value) {
		int bytes = 1;
		long rest = value >>> 7;
		while (rest != 0) {
			bytes++;
			rest >>>= 7;
		}
		return bytes;
	}

	static byte[] encode(long value) {
		if (value < 0 || value > MAX_VALUE) {
			throw new IllegalArgumentException("a varint length holds 0 to " + MAX_VALUE + ", not " + value);
		}
		byte[] bytes = new byte[encodedLength(value)];
		long rest = value;
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) ((rest & 0x7F) | ((i < bytes.length - 1) ? 0x80 : 0));
			rest >>>= 7;
		}
		return bytes;
	}

}
