package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * One frame being read: every byte taken from the stream is kept, the buffer grows only
 * as bytes arrive (a declared length reserves at most one chunk ahead), and the total is
 * held under an allowance.
 */
final class FrameInput {

	/** Most memory a declared length may claim beyond the bytes that have arrived. */
	static final int CHUNK_BYTES = 64 * 1024;

	private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

	private final InputStream in;

	private final String framing;

	private final int max;

	private final long allowance;

	private byte[] buffer = new byte[64];

	private int count;

	/**
	 * @param in the (buffered) stream
	 * @param framing the framing's name, for messages
	 * @param max the frame limit reported in {@link FrameTooLargeException}
	 * @param allowance most bytes this frame may take from the stream
	 */
	FrameInput(InputStream in, String framing, int max, long allowance) {
		this.in = in;
		this.framing = framing;
		this.max = max;
		this.allowance = Math.min(allowance, MAX_ARRAY_LENGTH);
	}

	int max() {
		return this.max;
	}

	int count() {
		return this.count;
	}

	byte[] buffer() {
		return this.buffer;
	}

	int byteAt(int index) {
		return this.buffer[index] & 0xFF;
	}

	byte[] copy(int from, int to) {
		return Arrays.copyOfRange(this.buffer, from, to);
	}

	/**
	 * Reads one byte and keeps it; a clean end before the frame's first byte is a soft
	 * end, later one a truncated frame.
	 */
	int next() throws IOException {
		int b = nextOrEnd();
		if (b < 0) {
			throw ended();
		}
		return b;
	}

	/**
	 * Reads one byte and keeps it, or returns -1 at the end of the stream.
	 */
	int nextOrEnd() throws IOException {
		if (this.count + 1L > this.allowance) {
			throw tooLarge("is over the frame limit of " + this.max + " bytes");
		}
		int b = this.in.read();
		if (b < 0) {
			return -1;
		}
		ensure(1);
		this.buffer[this.count++] = (byte) b;
		return b;
	}

	/**
	 * Reads exactly {@code n} more bytes, growing the buffer as they arrive.
	 */
	void take(long n) throws IOException {
		if (n < 0) {
			throw new MalformedFrameException(this.framing + " frame declares a negative length");
		}
		if (this.count + n > this.allowance) {
			throw tooLarge("declares " + (this.count + n) + " bytes, over the frame limit of " + this.max);
		}
		long remaining = n;
		while (remaining > 0) {
			ensure((int) Math.min(remaining, CHUNK_BYTES));
			int want = (int) Math.min(remaining, this.buffer.length - this.count);
			int read = this.in.read(this.buffer, this.count, want);
			if (read < 0) {
				throw ended();
			}
			this.count += read;
			remaining -= read;
		}
	}

	/**
	 * Reads until the end of the stream (a message delimited by the close).
	 */
	void takeToEnd() throws IOException {
		while (true) {
			if (this.count >= this.allowance) {
				if (this.in.read() < 0) {
					return;
				}
				throw tooLarge("is over the frame limit of " + this.max + " bytes");
			}
			ensure((int) Math.min(CHUNK_BYTES, this.allowance - this.count));
			int read = this.in.read(this.buffer, this.count,
					(int) Math.min(this.buffer.length - this.count, this.allowance - this.count));
			if (read < 0) {
				return;
			}
			this.count += read;
		}
	}

	/**
	 * Reads one line up to and including LF.
	 * @return the index where the line starts
	 */
	int line() throws IOException {
		int start = this.count;
		while (next() != '\n') {
			// keep reading
		}
		return start;
	}

	private void ensure(int more) {
		long needed = (long) this.count + more;
		if (needed <= this.buffer.length) {
			return;
		}
		long grown = Math.max(needed, Math.min((long) this.buffer.length * 2, this.allowance));
		this.buffer = Arrays.copyOf(this.buffer, (int) Math.min(grown, MAX_ARRAY_LENGTH));
	}

	private IOException ended() {
		if (this.count == 0) {
			throw new SoftEndOfStreamException("Stream closed between frames");
		}
		return new TruncatedFrameException(
				"connection closed inside a " + this.framing + " frame after " + this.count + " bytes", this.count);
	}

	FrameTooLargeException tooLarge(String what) {
		return new FrameTooLargeException(this.framing + " frame " + what, this.max);
	}

	MalformedFrameException malformed(String what) {
		return new MalformedFrameException(
				this.framing + " frame is malformed after " + this.count + " bytes: " + what);
	}

}
