package dev.socketgateway.payload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import com.google.re2j.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Multi-line replies: lines up to and including the first that ends the reply; the
 * payload is those lines with the end of line between them and without the last one.
 * <p>
 * With a pattern ({@code lines}): the first line whose text (without its end of line)
 * contains a match of the RE2 pattern ends it. Without ({@code reply-code},
 * SMTP/FTP/LMTP): a line {@code NNN-text} opens a reply that ends at a line
 * {@code NNN text} or {@code NNN} with the same code (RFC 959 4.2, RFC 5321 4.2.1); a
 * first line without a code continues to the first line that has one. {@code reply-code}
 * ends lines at LF with an optional CR.
 */
final class LinesCodec extends ReadingCodec {

	private final @Nullable Pattern until;

	private final boolean lfOnly;

	LinesCodec(Framing framing, @Nullable Pattern until, boolean lfOnly, int maxFrameBytes) {
		super(framing, maxFrameBytes);
		this.until = until;
		this.lfOnly = lfOnly;
	}

	@Override
	public Frame deserialize(InputStream in) throws IOException {
		int max = maxFrameBytes();
		// the last end of line is not payload
		FrameInput frame = new FrameInput(in, name(), max, max + 2L);
		String code = null;
		boolean first = true;
		while (true) {
			int start = readLine(frame);
			int end = frame.count();
			int eol = eolLength(frame, start, end);
			int textEnd = end - eol;
			boolean last;
			if (this.until != null) {
				String text = new String(frame.buffer(), start, textEnd - start, StandardCharsets.UTF_8);
				last = this.until.matcher(text).find();
			}
			else {
				String lineCode = replyCode(frame, start, textEnd);
				int separator = (lineCode != null && textEnd - start > 3) ? frame.byteAt(start + 3) : -1;
				if (first && lineCode != null && separator == '-') {
					code = lineCode;
					last = false;
				}
				else if (code != null) {
					last = code.equals(lineCode) && separator != '-';
				}
				else {
					last = lineCode != null && separator != '-';
				}
			}
			first = false;
			if (last) {
				if (end - eol > max) {
					throw frame.tooLarge("exceeds the frame limit of " + max + " bytes");
				}
				return new Frame(frame.copy(0, end - eol), end, CompletedBy.DELIMITER);
			}
		}
	}

	/**
	 * Reads one line: up to CR LF ({@code lines} crlf), up to LF ({@code lines} lf and
	 * {@code reply-code}).
	 */
	private int readLine(FrameInput frame) throws IOException {
		int start = frame.count();
		while (true) {
			frame.line();
			int end = frame.count();
			if (this.lfOnly || this.until == null || (end - start >= 2 && frame.byteAt(end - 2) == '\r')) {
				return start;
			}
		}
	}

	private int eolLength(FrameInput frame, int start, int end) {
		if (this.lfOnly) {
			return 1;
		}
		return (end - start >= 2 && frame.byteAt(end - 2) == '\r') ? 2 : 1;
	}

	/**
	 * The line's three-digit code when it is {@code NNN}, {@code NNN text} or
	 * {@code NNN-text}; else null.
	 */
	private static @Nullable String replyCode(FrameInput frame, int start, int textEnd) {
		if (textEnd - start < 3) {
			return null;
		}
		for (int i = 0; i < 3; i++) {
			int b = frame.byteAt(start + i);
			if (b < '0' || b > '9') {
				return null;
			}
		}
		if (textEnd - start > 3) {
			int separator = frame.byteAt(start + 3);
			if (separator != ' ' && separator != '-') {
				return null;
			}
		}
		return new String(frame.buffer(), start, 3, StandardCharsets.US_ASCII);
	}

}
