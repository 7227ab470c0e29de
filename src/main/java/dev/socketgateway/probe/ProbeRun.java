package dev.socketgateway.probe;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import dev.socketgateway.conversation.ConversationResult.StepError;
import dev.socketgateway.conversation.ConversationResult.StepResult;

/**
 * One run of a probe.
 *
 * @param seq its number, from 1 per probe
 * @param at when it started (RFC 3339 UTC)
 * @param ok whether every step succeeded
 * @param durationMs how long it took
 * @param failedStep index of the failed step, {@code null} when none or the connect
 * failed
 * @param error why it failed
 * @param steps the steps that ran
 */
public record ProbeRun(@Schema(description = "its number, from 1 per probe") long seq,
		@Schema(description = "when it started (RFC 3339 UTC)") String at,
		@Schema(description = "whether every step succeeded") boolean ok,
		@Schema(description = "how long it took") long durationMs,
		@Schema(description = "index of the failed step, null when none or the connect failed") @Nullable Integer failedStep,
		@Schema(description = "why it failed") @Nullable StepError error,
		@Schema(description = "the steps that ran") List<StepResult> steps) {

	/**
	 * The summary shown in probe listings.
	 * @return the last run's summary
	 */
	LastRun summary() {
		return new LastRun(this.at, this.ok, this.durationMs, this.failedStep, this.error);
	}

	/**
	 * A run without its steps.
	 *
	 * @param at when it started
	 * @param ok whether it succeeded
	 * @param durationMs how long it took
	 * @param failedStep the failed step
	 * @param error why it failed
	 */
	public record LastRun(@Schema(description = "when it started") String at,
			@Schema(description = "whether it succeeded") boolean ok,
			@Schema(description = "how long it took") long durationMs,
			@Schema(description = "the failed step") @Nullable Integer failedStep,
			@Schema(description = "why it failed") @Nullable StepError error) {
	}

}
