package dev.socketgateway.listener.rules;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a frame no rule matched.
 *
 * @param respond the frames of the answer; absent or empty = no answer
 * @param then keep (default), close or reset after the answer
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DefaultResponse(
		@Schema(description = "frames of the answer; absent or empty = no answer") @Size(
				max = RuleSpec.MAX_FRAMES) @Nullable List<@Valid @NotNull RespondFrame> respond,
		@Schema(description = "keep (default), close or reset (RST) after the answer") @Nullable Then then) {

}
