package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Frames that end at the first occurrence of any of 1 to 8 delimiters; where two end at
 * the same byte, the longer one is the delimiter. Reads one byte at a time from the
 * buffered stream so that the next frame stays unread.
 */
final class MultiDelimiterCodec extends ReadingCodec {

	private final List<byte[]> delimiters;

	private final int longest;

	MultiDelimiterCodec(Framing framing, List<byte[]> delimiters, int maxFrameBytes) {
		super(framing, maxFrameBytes);
		this.delimiters = delimiters;
		this.longest = delimiters.stream().mapToInt((d) -> d.length).max().orElseThrow();
	}

	@Override
	public Frame deserialize(InputStream in) throws IOException {
		int max = maxFrameBytes();
		FrameInput frame = new FrameInput(in, name(), max, Long.MAX_VALUE);
		while (true) {
			frame.next();
			int count = frame.count();
			int matched = matchedLength(frame.buffer(), count);
			if (matched > 0) {
				// a short delimiter may end a payload the longest one's slack let through
				if (count - matched > max) {
					throw frame.tooLarge("exceeds the frame limit of " + max + " bytes");
				}
				return new Frame(frame.copy(0, count - matched), count, CompletedBy.DELIMITER);
			}
			// the last longest-1 bytes may still begin a delimiter: only what is before
			// them is surely payload
			if (count - (this.longest - 1) > max) {
				throw frame.tooLarge("exceeds the frame limit of " + max + " bytes without a delimiter");
			}
		}
	}

	private int matchedLength(byte[] buffer, int count) {
		int best = 0;
		for (byte[] delimiter : this.delimiters) {
			if (delimiter.length > best && endsWith(buffer, count, delimiter)) {
				best = delimiter.length;
			}
		}
		return best;
	}

	private static boolean endsWith(byte[] buffer, int count, byte[] delimiter) {
		int length = delimiter.length;
		if (count < length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (buffer[count - length + i] != delimiter[i]) {
				return false;
			}
		}
		return true;
	}

}
