package dev.socketgateway.listener.rules;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What to do about one received frame: the rule that matched, the frames to write, and
 * what happens to the connection afterwards.
 *
 * @param rule index of the rule that matched, or {@code null} (default response or none)
 * @param frames the frames to write, in order
 * @param then keep, close or reset afterwards
 */
public record Plan(@Nullable Integer rule, List<Step> frames, Then then) {

	/** No answer, connection kept. */
	public static final Plan NONE = new Plan(null, List.of(), Then.KEEP);

	/**
	 * Whether the plan writes nothing and leaves the connection as it is.
	 * @return true for a swallowed frame
	 */
	public boolean silent() {
		return this.frames.isEmpty() && this.then == Then.KEEP;
	}

	/**
	 * One frame to write.
	 *
	 * @param payload the payload, before framing
	 * @param delayMs wait before it
	 * @param chunkBytes piece size of the framed bytes, 0 = all at once
	 * @param chunkDelayMs wait between pieces
	 */
	public record Step(byte[] payload, long delayMs, int chunkBytes, long chunkDelayMs) {

	}

}
