package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;

/**
 * Netty's {@code LengthFieldBasedFrameDecoder} rule: an unsigned length field of
 * {@code size} bytes at {@code offset}; the frame is
 * {@code offset + size + value + adjust} bytes, of which the first {@code strip} are
 * dropped from the payload.
 */
final class FieldLengthCodec extends ReadingCodec {

	private final int offset;

	private final int size;

	private final boolean littleEndian;

	private final int adjust;

	private final int strip;

	FieldLengthCodec(Framing framing, int offset, int size, boolean littleEndian, int adjust, int strip,
			int maxFrameBytes) {
		super(framing, maxFrameBytes);
		this.offset = offset;
		this.size = size;
		this.littleEndian = littleEndian;
		this.adjust = adjust;
		this.strip = strip;
	}

	@Override
	public Frame deserialize(InputStream in) throws IOException {
		int max = maxFrameBytes();
		FrameInput frame = new FrameInput(in, name(), max, Long.MAX_VALUE);
		frame.next();
		frame.take(this.offset + this.size - 1L);
		long value = 0;
		for (int i = 0; i < this.size; i++) {
			int b = frame.byteAt(this.offset + (this.littleEndian ? this.size - 1 - i : i));
			if (i == 0 && this.size == 8 && b > 0x7F) {
				throw frame.tooLarge("declares more than " + Long.MAX_VALUE + " bytes");
			}
			value = (value << 8) | b;
		}
		int header = this.offset + this.size;
		return LengthRule.complete(frame, header, value, this.adjust, this.strip, max);
	}

}
