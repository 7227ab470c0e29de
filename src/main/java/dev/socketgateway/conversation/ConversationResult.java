package dev.socketgateway.conversation;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import dev.socketgateway.payload.EncodedPayload;

/**
 * What a conversation did: every step that ran, and how it ended.
 *
 * @param ok whether every step succeeded
 * @param failedStep index of the failed step; {@code null} when all passed or the connect
 * failed
 * @param error why it failed
 * @param steps the steps that ran, in order
 * @param vars the variables at the end (initial ones and captures)
 * @param bytesSent wire bytes written
 * @param bytesReceived wire bytes of the frames read
 * @param connectMs connect and TLS handshake time
 * @param durationMs the whole conversation
 * @param remote the peer's {@code ip:port}
 */
@Schema(description = "The outcome of a conversation: 200 whether or not its steps succeeded")
public record ConversationResult(@Schema(description = "whether every step succeeded") boolean ok, @Schema(
		description = "index of the failed step; null when all passed or the connect failed") @Nullable Integer failedStep,
		@Schema(description = "why it failed") @Nullable StepError error,
		@Schema(description = "the steps that ran, in order") List<StepResult> steps,
		@Schema(description = "the variables at the end (initial ones and captures)") Map<String, String> vars,
		@Schema(description = "wire bytes written") long bytesSent,
		@Schema(description = "wire bytes of the frames read") long bytesReceived,
		@Schema(description = "connect and TLS handshake time") long connectMs,
		@Schema(description = "the whole conversation") long durationMs,
		@Schema(description = "the peer's ip:port") String remote) {

	/**
	 * Why a conversation failed.
	 *
	 * @param code {@code REJECTED}, {@code REPLY_TIMEOUT}, {@code PEER_CLOSED},
	 * {@code FRAME_TOO_LARGE} or a transport code
	 * @param detail what to check
	 */
	public record StepError(@Schema(
			description = "REJECTED, REPLY_TIMEOUT, PEER_CLOSED, FRAME_TOO_LARGE or a transport code") String code,
			@Schema(description = "what to check") String detail) {
	}

	/**
	 * One step that ran.
	 *
	 * @param index position from 0
	 * @param name its name, if given
	 * @param action send, expect, expectClose, starttls or sleep
	 * @param ok whether it succeeded
	 * @param durationMs how long it took
	 * @param bytesSent wire bytes of a send
	 * @param payload the frame an expect matched (or the last one it saw when it failed)
	 * @param skipped frames an expect passed over
	 * @param captures what an expect captured
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record StepResult(@Schema(description = "position from 0") int index,
			@Schema(description = "its name, if given") @Nullable String name,
			@Schema(description = "send, expect, expectClose, starttls or sleep") String action,
			@Schema(description = "whether it succeeded") boolean ok,
			@Schema(description = "how long it took") long durationMs,
			@Schema(description = "wire bytes of a send") @Nullable Long bytesSent,
			@Schema(description = "the frame an expect matched (or the last one it saw when it failed)") @Nullable EncodedPayload payload,
			@Schema(description = "frames an expect passed over") @Nullable Integer skipped,
			@Schema(description = "what an expect captured") @Nullable Map<String, String> captures) {
	}

}
