package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;

/**
 * Frames of exactly {@code size} bytes.
 */
final class FixedCodec extends ReadingCodec {

	private final int size;

	FixedCodec(Framing framing, int size, int maxFrameBytes) {
		super(framing, maxFrameBytes);
		this.size = size;
	}

	@Override
	public Frame deserialize(InputStream in) throws IOException {
		int max = maxFrameBytes();
		FrameInput frame = new FrameInput(in, name(), max, max);
		if (this.size > max) {
			throw frame.tooLarge("of " + this.size + " bytes is over the frame limit of " + max);
		}
		frame.next();
		frame.take(this.size - 1L);
		return new Frame(frame.copy(0, this.size), this.size, CompletedBy.LENGTH);
	}

}
