package dev.socketgateway.listener.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import dev.socketgateway.payload.Encoding;

/**
 * One frame of a rule's answer, written with the listener's framing.
 *
 * @param payload the frame; utf8 and hex payloads may use placeholders for captures
 * @param encoding utf8 (default), hex or base64
 * @param delayMs wait before this frame
 * @param chunkBytes send the framed bytes in pieces of this size (TCP)
 * @param chunkDelayMs wait between pieces
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RespondFrame(@Schema(
		description = "the frame; utf8/hex payloads may use ${1}, ${name} from a regex match ($${ writes ${)") @NotNull String payload,
		@Schema(description = "utf8 (default), hex or base64") @Nullable Encoding encoding,
		@Schema(description = "milliseconds to wait before this frame") @Min(0) @Max(MAX_DELAY_MS) @Nullable Integer delayMs,
		@Schema(description = "TCP: send the framed bytes in pieces of this many bytes") @Min(1) @Nullable Integer chunkBytes,
		@Schema(description = "milliseconds between pieces") @Min(0) @Max(MAX_DELAY_MS) @Nullable Integer chunkDelayMs) {

	/** Longest delay a rule may ask for: five minutes. */
	public static final int MAX_DELAY_MS = 300_000;

	/**
	 * A plain frame.
	 * @param payload the payload
	 * @param encoding its encoding
	 * @return the frame
	 */
	public static RespondFrame of(String payload, Encoding encoding) {
		return new RespondFrame(payload, (encoding != Encoding.UTF8) ? encoding : null, null, null, null);
	}

}
