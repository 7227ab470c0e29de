package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Random;
import java.util.function.IntSupplier;

/**
 * A socket stand-in: segments of bytes that arrive separately (the next one only when a
 * read waits for it), read timeouts between them, then end of stream; it can also limit
 * how many bytes each read returns.
 */
final class ScriptedInputStream extends InputStream {

	private final Deque<Object> steps = new ArrayDeque<>();

	private IntSupplier maxPerRead = () -> Integer.MAX_VALUE;

	private boolean fillsRequest;

	private int availableAtMost = Integer.MAX_VALUE;

	private int offset;

	/** The last segment was used up: the next one has not arrived until a read waits. */
	private boolean drained;

	private long consumed;

	private int reads;

	/** A stream that has ended, or is scripted further with {@code then...}. */
	static ScriptedInputStream empty() {
		return new ScriptedInputStream();
	}

	static ScriptedInputStream of(byte[]... segments) {
		ScriptedInputStream stream = new ScriptedInputStream();
		for (byte[] segment : segments) {
			stream.then(segment);
		}
		return stream;
	}

	static ScriptedInputStream of(String... segments) {
		ScriptedInputStream stream = new ScriptedInputStream();
		for (String segment : segments) {
			stream.then(segment.getBytes(StandardCharsets.ISO_8859_1));
		}
		return stream;
	}

	ScriptedInputStream then(byte[] segment) {
		if (segment.length > 0) {
			this.steps.add(segment.clone());
		}
		return this;
	}

	ScriptedInputStream then(String segment) {
		return then(segment.getBytes(StandardCharsets.ISO_8859_1));
	}

	/** A read that times out, as with SO_TIMEOUT, and leaves the stream usable. */
	ScriptedInputStream thenTimeout() {
		this.steps.add(new Timeout(new byte[0]));
		return this;
	}

	/** A read that copies some bytes, then times out reporting them as transferred. */
	ScriptedInputStream thenPartialTimeout(String transferred) {
		this.steps.add(new Timeout(transferred.getBytes(StandardCharsets.ISO_8859_1)));
		return this;
	}

	/** Every read returns one byte. */
	ScriptedInputStream oneBytePerRead() {
		this.maxPerRead = () -> 1;
		return this;
	}

	/** Every read returns 1 to {@code bound} bytes, repeatably for a seed. */
	ScriptedInputStream randomChunks(long seed, int bound) {
		Random random = new Random(seed);
		this.maxPerRead = () -> 1 + random.nextInt(bound);
		return this;
	}

	/**
	 * Every read waits for later segments until it has what was asked for, as the
	 * {@code InputStream} contract allows; a reader that asks for more than
	 * {@code available()} then waits.
	 */
	ScriptedInputStream fillingEachRequest() {
		this.fillsRequest = true;
		return this;
	}

	/**
	 * {@code available()} reports at most this many bytes, as a socket does while the
	 * rest of a segment is still in flight.
	 */
	ScriptedInputStream availableAtMost(int bytes) {
		this.availableAtMost = bytes;
		return this;
	}

	/** Bytes handed out so far. */
	long consumed() {
		return this.consumed;
	}

	int reads() {
		return this.reads;
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		int n = read(one, 0, 1);
		return (n < 0) ? -1 : one[0] & 0xFF;
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		Objects.checkFromIndexSize(off, len, b.length);
		this.reads++;
		this.drained = false;
		if (len == 0) {
			return 0;
		}
		Object step = this.steps.peek();
		if (step == null) {
			return -1;
		}
		if (step instanceof Timeout timeout) {
			this.steps.remove();
			int n = Math.min(len, timeout.transferred.length);
			System.arraycopy(timeout.transferred, 0, b, off, n);
			this.consumed += n;
			SocketTimeoutException ex = new SocketTimeoutException("Read timed out");
			ex.bytesTransferred = n;
			throw ex;
		}
		byte[] segment = (byte[]) step;
		int n = Math.min(Math.min(len, segment.length - this.offset), Math.max(1, this.maxPerRead.getAsInt()));
		System.arraycopy(segment, this.offset, b, off, n);
		this.offset += n;
		this.consumed += n;
		if (this.offset == segment.length) {
			this.steps.remove();
			this.offset = 0;
			this.drained = true;
			if (this.fillsRequest && n < len && this.steps.peek() instanceof byte[]) {
				return n + read(b, off + n, len - n);
			}
		}
		return n;
	}

	/** What can be read without waiting: the rest of the segment that has arrived. */
	@Override
	public int available() {
		if (this.drained) {
			return 0;
		}
		Object step = this.steps.peek();
		return (step instanceof byte[] segment) ? Math.min(segment.length - this.offset, this.availableAtMost) : 0;
	}

	private record Timeout(byte[] transferred) {
	}

}
