package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * Frames that end with a delimiter ({@code crlf}, {@code lf}, {@code nul}) and optionally
 * start with a prefix ({@code stx-etx}).
 * <p>
 * Reads one byte at a time so that it never consumes the start of the next frame; the
 * connection is expected to hand over a buffered stream.
 */
class DelimiterCodec extends FrameCodec {

	private static final int INITIAL_CAPACITY = 256;

	/** Largest array the JVM reliably allocates. */
	private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

	private final Framing framing;

	private final byte[] prefix;

	private final byte[] delimiter;

	DelimiterCodec(Framing framing, byte[] prefix, byte[] delimiter, int maxFrameBytes) {
		super(maxFrameBytes);
		if (prefix.length > 1) {
			throw new IllegalArgumentException("prefix must be empty or one byte");
		}
		if (delimiter.length == 0 || delimiter.length > 2) {
			throw new IllegalArgumentException("delimiter must be one or two bytes");
		}
		if (maxFrameBytes < 0) {
			throw new IllegalArgumentException("maxFrameBytes must not be negative");
		}
		this.framing = framing;
		this.prefix = prefix.clone();
		this.delimiter = delimiter.clone();
	}

	@Override
	public void serialize(byte[] payload, OutputStream out) throws IOException {
		long length = (long) this.prefix.length + payload.length + this.delimiter.length;
		if (length > MAX_ARRAY_LENGTH) {
			throw new IllegalArgumentException(
					"payload of " + payload.length + " bytes is too long for " + this.framing);
		}
		// one write: a buffered connection stream then sends the frame in one segment
		// with TCP_NODELAY rather than two
		byte[] wire = new byte[(int) length];
		System.arraycopy(this.prefix, 0, wire, 0, this.prefix.length);
		System.arraycopy(payload, 0, wire, this.prefix.length, payload.length);
		System.arraycopy(this.delimiter, 0, wire, this.prefix.length + payload.length, this.delimiter.length);
		out.write(wire);
	}

	@Override
	public Frame deserialize(InputStream in) throws IOException {
		int max = maxFrameBytes();
		long skipped = 0;
		if (this.prefix.length > 0) {
			int b = in.read();
			if (b < 0) {
				throw new SoftEndOfStreamException("Stream closed between frames");
			}
			// bytes before STX are noise (a peer joined mid-stream): drop them, within
			// the frame limit so that a peer that never sends STX cannot hold us forever
			while (b != (this.prefix[0] & 0xFF)) {
				if (++skipped > max) {
					throw new FrameTooLargeException("no " + this.framing + " frame start in " + skipped
							+ " bytes, over the frame limit of " + max, max);
				}
				b = in.read();
				if (b < 0) {
					throw new TruncatedFrameException(
							"connection closed after " + skipped + " bytes without a " + this.framing + " frame",
							(int) skipped);
				}
			}
		}
		long capacityLimit = Math.min((long) max + this.delimiter.length, MAX_ARRAY_LENGTH);
		byte[] buffer = new byte[(int) Math.min(INITIAL_CAPACITY, capacityLimit)];
		int count = 0;
		while (true) {
			int b = in.read();
			if (b < 0) {
				if (count == 0 && this.prefix.length == 0) {
					throw new SoftEndOfStreamException("Stream closed between frames");
				}
				int read = saturatedInt(skipped + this.prefix.length + count);
				throw new TruncatedFrameException("connection closed inside a " + this.framing + " frame after " + read
						+ " bytes, before the delimiter", read);
			}
			if (count == buffer.length) {
				buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, capacityLimit));
			}
			buffer[count++] = (byte) b;
			if (endsWithDelimiter(buffer, count)) {
				int payloadLength = count - this.delimiter.length;
				int wireBytes = saturatedInt(skipped + this.prefix.length + count);
				return new Frame(Arrays.copyOf(buffer, payloadLength), wireBytes, CompletedBy.DELIMITER);
			}
			// a trailing CR may still be the start of CR LF, so it is not payload yet:
			// a payload of exactly max bytes followed by CR LF is accepted
			if (count - partialDelimiter(buffer, count) > max) {
				throw new FrameTooLargeException(
						this.framing + " frame exceeds the frame limit of " + max + " bytes without a delimiter", max);
			}
		}
	}

	private boolean endsWithDelimiter(byte[] buffer, int count) {
		int length = this.delimiter.length;
		if (count < length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (buffer[count - length + i] != this.delimiter[i]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Bytes at the end that may be the first of a two-byte delimiter: 1 or 0.
	 */
	private int partialDelimiter(byte[] buffer, int count) {
		return (this.delimiter.length == 2 && buffer[count - 1] == this.delimiter[0]) ? 1 : 0;
	}

	private static int saturatedInt(long value) {
		return (int) Math.min(value, Integer.MAX_VALUE);
	}

}
