package dev.socketgateway.payload;

import java.io.IOException;

/**
 * The part of Netty's length-field rule shared by fixed-size and varint fields.
 */
final class LengthRule {

	private LengthRule() {
	}

	/**
	 * Reads the rest of a frame whose header has been read.
	 * @param frame the frame so far (exactly its header)
	 * @param header offset + field bytes
	 * @param value the field's value
	 * @param adjust added to the value
	 * @param strip leading bytes dropped from the payload
	 * @param max the frame limit, for the payload
	 * @return the frame
	 */
	static Frame complete(FrameInput frame, int header, long value, int adjust, int strip, int max) throws IOException {
		if (value > Integer.MAX_VALUE * 4L) {
			throw frame.tooLarge("declares " + value + " bytes, over the frame limit of " + max);
		}
		long length = header + value + adjust;
		if (length < header) {
			throw frame.malformed("the length field (" + value + ") with adjust " + adjust
					+ " describes a frame shorter than its " + header + "-byte header");
		}
		if (strip > length) {
			throw frame.malformed("the frame of " + length + " bytes is shorter than the " + strip + " bytes to strip");
		}
		if (length - strip > max) {
			throw frame.tooLarge("declares " + (length - strip) + " bytes, over the frame limit of " + max);
		}
		frame.take(length - header);
		return new Frame(frame.copy(strip, (int) length), (int) length, CompletedBy.LENGTH);
	}

}
