package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Writes with one framing and reads with another ({@code sendFraming}).
 */
final class SplitCodec extends FrameCodec {

	private final FrameCodec send;

	private final FrameCodec receive;

	SplitCodec(FrameCodec send, FrameCodec receive) {
		super(receive.maxFrameBytes());
		this.send = send;
		this.receive = receive;
	}

	@Override
	public void serialize(byte[] payload, OutputStream out) throws IOException {
		this.send.serialize(payload, out);
	}

	@Override
	public Frame deserialize(InputStream in) throws IOException {
		return this.receive.deserialize(in);
	}

}
