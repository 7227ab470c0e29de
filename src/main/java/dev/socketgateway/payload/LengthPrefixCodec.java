package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * Frames preceded by a big-endian unsigned length of 1, 2 or 4 bytes.
 * <p>
 * The body is read in chunks as it arrives, so a peer that declares a large frame and
 * sends a few bytes costs at most one chunk.
 */
class LengthPrefixCodec extends FrameCodec {

	/** Most memory a declared length may claim beyond the bytes that have arrived. */
	static final int CHUNK_BYTES = 64 * 1024;

	private final Framing framing;

	private final int headerBytes;

	LengthPrefixCodec(Framing framing, int headerBytes, int maxFrameBytes) {
		super(maxFrameBytes);
		if (headerBytes != 1 && headerBytes != 2 && headerBytes != 4) {
			throw new IllegalArgumentException("headerBytes must be 1, 2 or 4, not " + headerBytes);
		}
		if (maxFrameBytes < 0) {
			throw new IllegalArgumentException("maxFrameBytes must not be negative");
		}
		this.framing = framing;
		this.headerBytes = headerBytes;
	}

	@Override
	public void serialize(byte[] payload, OutputStream out) throws IOException {
		// the API rejects such payloads with VALIDATION_FAILED first; this guard stops a
		// wrapped length from desynchronising the stream
		if (payload.length > this.framing.maxPayloadLength()) {
			throw new IllegalArgumentException("payload of " + payload.length + " bytes is too long for " + this.framing
					+ " (at most " + this.framing.maxPayloadLength() + ")");
		}
		byte[] wire = new byte[this.headerBytes + payload.length];
		int length = payload.length;
		for (int i = this.headerBytes - 1; i >= 0; i--) {
			wire[i] = (byte) length;
			length >>>= 8;
		}
		System.arraycopy(payload, 0, wire, this.headerBytes, payload.length);
		out.write(wire);
	}

	@Override
	public Frame deserialize(InputStream in) throws IOException {
		int first = in.read();
		if (first < 0) {
			throw new SoftEndOfStreamException("Stream closed between frames");
		}
		// a long, because length4 is unsigned and 0xFFFFFFFF must not turn negative
		long declared = first;
		for (int i = 1; i < this.headerBytes; i++) {
			int b = in.read();
			if (b < 0) {
				throw new TruncatedFrameException("connection closed inside the " + this.framing + " header after " + i
						+ " of " + this.headerBytes + " bytes", i);
			}
			declared = (declared << 8) | b;
		}
		int max = maxFrameBytes();
		if (declared > max) {
			throw new FrameTooLargeException(
					this.framing + " frame declares " + declared + " bytes, over the frame limit of " + max, max);
		}
		int length = (int) declared;
		byte[] body = (length <= CHUNK_BYTES) ? readBody(in, new byte[length], 0, length) : readChunked(in, length);
		return new Frame(body, this.headerBytes + length, CompletedBy.LENGTH);
	}

	private byte[] readChunked(InputStream in, int length) throws IOException {
		List<byte[]> chunks = new ArrayList<>();
		int received = 0;
		while (received < length) {
			byte[] chunk = readBody(in, new byte[Math.min(CHUNK_BYTES, length - received)], received, length);
			chunks.add(chunk);
			received += chunk.length;
		}
		byte[] body = new byte[length];
		int offset = 0;
		for (byte[] chunk : chunks) {
			System.arraycopy(chunk, 0, body, offset, chunk.length);
			offset += chunk.length;
		}
		return body;
	}

	private byte[] readBody(InputStream in, byte[] into, int alreadyReceived, int declared) throws IOException {
		int offset = 0;
		while (offset < into.length) {
			int n = in.read(into, offset, into.length - offset);
			if (n < 0) {
				int read = this.headerBytes + alreadyReceived + offset;
				throw new TruncatedFrameException("connection closed inside a " + this.framing + " frame after " + read
						+ " of " + ((long) this.headerBytes + declared) + " bytes", read);
			}
			offset += n;
		}
		return into;
	}

}
