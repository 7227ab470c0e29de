package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;

/**
 * One complete RESP2/RESP3 value (Redis serialization protocol), nested aggregates
 * included, returned exactly as on the wire; at most {@value #MAX_DEPTH} levels deep.
 * Streamed strings and aggregates ({@code $?}, {@code *?}) are not supported.
 */
final class RespCodec extends ReadingCodec {

	static final int MAX_DEPTH = 32;

	/** Digits of a length or count: 19 fit a long; longer is malformed. */
	private static final int MAX_NUMBER_DIGITS = 19;

	RespCodec(Framing framing, int maxFrameBytes) {
		super(framing, maxFrameBytes);
	}

	@Override
	public Frame deserialize(InputStream in) throws IOException {
		int max = maxFrameBytes();
		FrameInput frame = new FrameInput(in, name(), max, max);
		value(frame, 0);
		return new Frame(frame.copy(0, frame.count()), frame.count(), CompletedBy.LENGTH);
	}

	private void value(FrameInput frame, int depth) throws IOException {
		if (depth > MAX_DEPTH) {
			throw frame.tooLarge("nests deeper than " + MAX_DEPTH + " levels");
		}
		int type = frame.next();
		switch (type) {
			// simple string, error, integer, null, boolean, double, big number
			case '+', '-', ':', '_', '#', ',', '(' -> line(frame);
			// bulk string, bulk error, verbatim string
			case '$', '!', '=' -> {
				long length = number(frame);
				if (length == -1 && type == '$') {
					return;
				}
				if (length < 0) {
					throw frame.malformed("a negative length " + length);
				}
				frame.take(length);
				if (frame.next() != '\r' || frame.next() != '\n') {
					throw frame.malformed("a bulk value must end with CR LF after its length");
				}
			}
			// array, set, push
			case '*', '~', '>' -> {
				long count = count(frame, frame.max());
				if (count == -1 && type == '*') {
					return;
				}
				if (count < 0) {
					throw frame.malformed("a negative count " + count);
				}
				for (long i = 0; i < count; i++) {
					value(frame, depth + 1);
				}
			}
			// map and attribute: count pairs; an attribute precedes the value it
			// describes
			case '%', '|' -> {
				long count = count(frame, frame.max());
				if (count < 0) {
					throw frame.malformed("a negative count " + count);
				}
				for (long i = 0; i < count * 2; i++) {
					value(frame, depth + 1);
				}
				if (type == '|') {
					value(frame, depth + 1);
				}
			}
			default -> throw frame.malformed("'" + printable(type) + "' is not a RESP type");
		}
	}

	/** Reads to CR LF. */
	private static void line(FrameInput frame) throws IOException {
		int start = frame.count();
		frame.line();
		int end = frame.count();
		if (end - start < 2 || frame.byteAt(end - 2) != '\r') {
			throw frame.malformed("a line must end with CR LF");
		}
	}

	/** Reads a signed decimal and its CR LF. */
	private static long count(FrameInput frame, int max) throws IOException {
		long count = number(frame);
		// every element takes at least 3 bytes: a count over the limit cannot fit it
		if (count > max) {
			throw frame.tooLarge("declares " + count + " elements, over the frame limit of " + max + " bytes");
		}
		return count;
	}

	private static long number(FrameInput frame) throws IOException {
		int b = frame.next();
		boolean negative = b == '-';
		if (negative) {
			b = frame.next();
		}
		long value = 0;
		int digits = 0;
		while (b >= '0' && b <= '9') {
			if (++digits > MAX_NUMBER_DIGITS) {
				throw frame.malformed("a length with more than " + MAX_NUMBER_DIGITS + " digits");
			}
			value = value * 10 + (b - '0');
			b = frame.next();
		}
		if (digits == 0 || b != '\r' || frame.next() != '\n') {
			throw frame.malformed("a length must be decimal digits followed by CR LF");
		}
		return negative ? -value : value;
	}

	private static String printable(int b) {
		return (b >= 0x20 && b < 0x7F) ? String.valueOf((char) b) : String.format("0x%02x", b);
	}

}
