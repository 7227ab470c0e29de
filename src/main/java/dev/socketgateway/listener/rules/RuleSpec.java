package dev.socketgateway.listener.rules;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * One rule of a rules listener: first match wins.
 *
 * @param match which frames it answers; absent = any frame
 * @param respond the frames of the answer; absent or empty = no answer
 * @param then keep (default), close or reset after the answer
 * @param times retire after this many matches
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleSpec(
		@Schema(description = "which frames it answers; absent = any frame") @Valid @Nullable MatchSpec match,
		@Schema(description = "frames of the answer; absent or empty = no answer") @Size(
				max = MAX_FRAMES) @Nullable List<@Valid @NotNull RespondFrame> respond,
		@Schema(description = "keep (default), close or reset (RST) after the answer") @Nullable Then then,
		@Schema(description = "retire the rule after this many matches") @Min(1) @Nullable Integer times) {

	/** Most frames in one answer. */
	public static final int MAX_FRAMES = 100;

}
