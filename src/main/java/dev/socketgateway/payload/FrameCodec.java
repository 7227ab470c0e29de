package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.springframework.core.serializer.Deserializer;
import org.springframework.core.serializer.Serializer;

/**
 * Writes and reads one framing on a TCP stream, for Spring Integration connection
 * factories ({@code setSerializer}/{@code setDeserializer}).
 * <p>
 * {@link #deserialize} returns a {@link Frame}. A clean end of stream before the first
 * byte of a frame throws Spring Integration's {@code SoftEndOfStreamException}; an end of
 * stream inside a frame throws {@link TruncatedFrameException}; a frame over the limit
 * throws {@link FrameTooLargeException} without allocating the declared length.
 */
public abstract class FrameCodec implements Serializer<byte[]>, Deserializer<Frame> {

	private final int maxFrameBytes;

	protected FrameCodec(int maxFrameBytes) {
		this.maxFrameBytes = maxFrameBytes;
	}

	public int maxFrameBytes() {
		return this.maxFrameBytes;
	}

	@Override
	public abstract void serialize(byte[] payload, OutputStream out) throws IOException;

	@Override
	public abstract Frame deserialize(InputStream in) throws IOException;

}
