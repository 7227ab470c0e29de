package dev.socketgateway.payload;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Base of the codecs that write {@code prefix + payload + suffix} in one write and read
 * through a {@link FrameInput}.
 */
abstract class ReadingCodec extends FrameCodec {

	private final Framing framing;

	ReadingCodec(Framing framing, int maxFrameBytes) {
		super(maxFrameBytes);
		if (maxFrameBytes < 0) {
			throw new IllegalArgumentException("maxFrameBytes must not be negative");
		}
		this.framing = framing;
	}

	Framing framing() {
		return this.framing;
	}

	String name() {
		return this.framing.toString();
	}

	@Override
	public void serialize(byte[] payload, OutputStream out) throws IOException {
		// one write: a buffered connection stream sends the frame in one segment
		out.write(this.framing.frame(payload));
	}

}
