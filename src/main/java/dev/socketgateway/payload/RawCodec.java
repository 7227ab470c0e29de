package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * Bytes as they are: a reply ends when the peer closes, goes quiet, or reaches the byte
 * limit.
 * <p>
 * One-shot mode relies on the socket's {@code SO_TIMEOUT} being the idle time; chunked
 * mode, for NIO sessions without a read timeout, returns whatever has arrived.
 */
class RawCodec extends FrameCodec {

	private static final int INITIAL_CAPACITY = 4096;

	private final boolean chunked;

	RawCodec(int maxBytes, boolean chunked) {
		super(maxBytes);
		if (maxBytes < 0 || (chunked && maxBytes == 0)) {
			throw new IllegalArgumentException("maxBytes must be positive, not " + maxBytes);
		}
		this.chunked = chunked;
	}

	@Override
	public void serialize(byte[] payload, OutputStream out) throws IOException {
		out.write(payload);
	}

	@Override
	public Frame deserialize(InputStream in) throws IOException {
		return this.chunked ? readChunk(in) : readUntilQuiet(in);
	}

	private Frame readUntilQuiet(InputStream in) throws IOException {
		int max = maxFrameBytes();
		byte[] buffer = new byte[Math.min(INITIAL_CAPACITY, max)];
		int count = 0;
		while (count < max) {
			if (count == buffer.length) {
				buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, max));
			}
			int n;
			try {
				// the buffer never exceeds max, so this never reads beyond the limit
				n = in.read(buffer, count, buffer.length - count);
			}
			catch (SocketTimeoutException ex) {
				count += Math.max(0, Math.min(ex.bytesTransferred, buffer.length - count));
				if (count > 0) {
					return frame(buffer, count, CompletedBy.IDLE);
				}
				// quiet before the first byte is not idleness: the caller enforces the
				// absolute reply deadline
				continue;
			}
			if (n < 0) {
				return frame(buffer, count, CompletedBy.CLOSED);
			}
			count += n;
		}
		return frame(buffer, count, CompletedBy.MAX_BYTES);
	}

	private Frame readChunk(InputStream in) throws IOException {
		int max = maxFrameBytes();
		// a single-byte read waits for data on any stream; a bulk read may legally wait
		// until it has filled the whole request
		int first = in.read();
		if (first < 0) {
			throw new SoftEndOfStreamException("Stream closed between chunks");
		}
		byte[] buffer = new byte[(int) Math.min(max, Math.max(INITIAL_CAPACITY, 1L + in.available()))];
		buffer[0] = (byte) first;
		int count = 1;
		while (count < max) {
			int available = in.available();
			if (available <= 0) {
				break;
			}
			if (count == buffer.length) {
				buffer = Arrays.copyOf(buffer,
						(int) Math.min(max, Math.max((long) count * 2, (long) count + available)));
			}
			// ask for no more than available() so that this read cannot block
			int n = in.read(buffer, count, Math.min(available, buffer.length - count));
			if (n < 0) {
				// the next call reports the close; this chunk is complete
				break;
			}
			count += n;
		}
		return frame(buffer, count, CompletedBy.IDLE);
	}

	private static Frame frame(byte[] buffer, int count, CompletedBy completedBy) {
		byte[] payload = (count == buffer.length) ? buffer : Arrays.copyOf(buffer, count);
		return new Frame(payload, count, completedBy);
	}

}
