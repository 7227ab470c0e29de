package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Stub, implemented on the payload branch.
 */
class RawCodec extends FrameCodec {

	RawCodec(int maxBytes, boolean chunked) {
		super(0);
	}

	@Override
	public void serialize(byte[] payload, OutputStream out) throws IOException {
		throw new UnsupportedOperationException();
	}

	@Override
	public Frame deserialize(InputStream in) throws IOException {
		throw new UnsupportedOperationException();
	}

}
