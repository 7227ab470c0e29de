package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.x message as on the wire (RFC 9112 section 6.3): the head up to its empty
 * line, then a chunked body to its last chunk and trailers, or {@code Content-Length}
 * bytes, or (a response with neither) everything up to the close. Requests without either
 * have no body; responses 1xx, 204 and 304 have none. The codec does not know the
 * request, so a response to {@code HEAD} needs a framing that stops at the head. Lines
 * end at LF with an optional CR.
 */
final class HttpCodec extends ReadingCodec {

	/** Hex digits of a chunk size: 15 fit a long. */
	private static final int MAX_CHUNK_DIGITS = 15;

	HttpCodec(Framing framing, int maxFrameBytes) {
		super(framing, maxFrameBytes);
	}

	@Override
	public Frame deserialize(InputStream in) throws IOException {
		int max = maxFrameBytes();
		FrameInput frame = new FrameInput(in, name(), max, max);
		// a recipient ignores empty lines before the start line (RFC 9112 2.2)
		int start;
		String startLine;
		do {
			start = frame.line();
			startLine = text(frame, start);
		}
		while (startLine.isEmpty());
		boolean response = startLine.startsWith("HTTP/");
		int status = response ? status(frame, startLine) : 0;
		if (!response && !startLine.contains(" HTTP/")) {
			throw frame.malformed("'" + abbreviated(startLine) + "' is neither an HTTP/1.x request nor a response");
		}
		long contentLength = -1;
		boolean chunked = false;
		while (true) {
			String line = text(frame, frame.line());
			if (line.isEmpty()) {
				break;
			}
			int colon = line.indexOf(':');
			if (colon <= 0) {
				throw frame.malformed("header line '" + abbreviated(line) + "' has no name");
			}
			String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
			String value = line.substring(colon + 1).trim();
			if (name.equals("transfer-encoding")) {
				chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
			}
			else if (name.equals("content-length")) {
				long length = contentLength(frame, value);
				if (contentLength >= 0 && contentLength != length) {
					throw frame.malformed("two different Content-Length values");
				}
				contentLength = length;
			}
		}
		if (response && (status / 100 == 1 || status == 204 || status == 304)) {
			return whole(frame, CompletedBy.DELIMITER);
		}
		if (chunked) {
			chunks(frame);
			return whole(frame, CompletedBy.LENGTH);
		}
		if (contentLength >= 0) {
			frame.take(contentLength);
			return whole(frame, CompletedBy.LENGTH);
		}
		if (!response) {
			return whole(frame, CompletedBy.DELIMITER);
		}
		frame.takeToEnd();
		return whole(frame, CompletedBy.CLOSED);
	}

	private static void chunks(FrameInput frame) throws IOException {
		while (true) {
			String line = text(frame, frame.line());
			int extension = line.indexOf(';');
			String digits = ((extension >= 0) ? line.substring(0, extension) : line).trim();
			if (digits.isEmpty() || digits.length() > MAX_CHUNK_DIGITS) {
				throw frame.malformed("chunk size '" + abbreviated(line) + "' is not hex");
			}
			long size;
			try {
				size = Long.parseLong(digits, 16);
			}
			catch (NumberFormatException ex) {
				throw frame.malformed("chunk size '" + abbreviated(line) + "' is not hex");
			}
			if (size == 0) {
				// trailers up to the empty line
				while (!text(frame, frame.line()).isEmpty()) {
					// keep reading
				}
				return;
			}
			frame.take(size);
			if (!text(frame, frame.line()).isEmpty()) {
				throw frame.malformed("chunk data must end with CR LF");
			}
		}
	}

	private static int status(FrameInput frame, String startLine) throws IOException {
		int space = startLine.indexOf(' ');
		if (space < 0 || startLine.length() < space + 4) {
			throw frame.malformed("status line '" + abbreviated(startLine) + "' has no status code");
		}
		String code = startLine.substring(space + 1, space + 4);
		if (!code.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw frame.malformed("status line '" + abbreviated(startLine) + "' has no status code");
		}
		return Integer.parseInt(code);
	}

	private static long contentLength(FrameInput frame, String value) throws IOException {
		if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw frame.malformed("Content-Length '" + abbreviated(value) + "' is not a number");
		}
		return Long.parseLong(value);
	}

	/** The line starting at {@code start} without its LF or CR LF. */
	private static String text(FrameInput frame, int start) {
		int end = frame.count() - 1;
		if (end > start && frame.byteAt(end - 1) == '\r') {
			end--;
		}
		return new String(frame.buffer(), start, end - start, StandardCharsets.ISO_8859_1);
	}

	private static Frame whole(FrameInput frame, CompletedBy completedBy) {
		return new Frame(frame.copy(0, frame.count()), frame.count(), completedBy);
	}

	private static String abbreviated(String text) {
		return (text.length() > 60) ? text.substring(0, 60) + "..." : text;
	}

}
