package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;

/**
 * RFC 6587 octet counting: {@code MSG-LEN SP SYSLOG-MSG}, where MSG-LEN is a decimal
 * without leading zeros. Line ends between frames (some senders add them) are skipped.
 */
final class SyslogOctetCodec extends ReadingCodec {

	/** Enough digits for any length an int can hold. */
	private static final int MAX_DIGITS = 10;

	SyslogOctetCodec(Framing framing, int maxFrameBytes) {
		super(framing, maxFrameBytes);
	}

	@Override
	public Frame deserialize(InputStream in) throws IOException {
		int max = maxFrameBytes();
		FrameInput frame = new FrameInput(in, name(), max, Long.MAX_VALUE);
		int b = frame.next();
		int skipped = 0;
		while (b == '\n' || b == '\r') {
			if (++skipped > max) {
				throw frame.tooLarge("has no length in " + skipped + " bytes, over the frame limit of " + max);
			}
			b = frame.next();
		}
		if (b < '0' || b > '9') {
			throw frame.malformed("a length (a decimal without leading zeros) must come first");
		}
		// RFC 6587 has no empty message; "0 " (what an empty payload is written as) is
		// read as one, a leading zero before more digits is not
		boolean zero = b == '0';
		long length = b - '0';
		int digits = 1;
		while ((b = frame.next()) != ' ') {
			if (zero || b < '0' || b > '9' || ++digits > MAX_DIGITS) {
				throw frame.malformed("the length must be decimal digits followed by a space");
			}
			length = length * 10 + (b - '0');
		}
		if (length > max) {
			throw frame.tooLarge("declares " + length + " bytes, over the frame limit of " + max);
		}
		int header = frame.count();
		frame.take(length);
		return new Frame(frame.copy(header, frame.count()), frame.count(), CompletedBy.LENGTH);
	}

}
