package dev.socketgateway.conversation;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import dev.socketgateway.payload.Encoding;

/**
 * One step of a conversation: exactly one of {@code send}, {@code expect},
 * {@code expectClose}, {@code starttls}, {@code sleepMs}.
 *
 * @param name an optional name, shown in the answer and in probe metrics
 * @param send a payload to write, with variables replaced
 * @param encoding the encoding of send and of the frame shown for an expect
 * @param expect what the next matching frame looks like
 * @param reject an RE2 regex: a frame matching it fails the step
 * @param capture named groups of the expect regex become vars
 * @param timeoutMs how long an expect or expectClose step may wait
 * @param expectClose the peer closes the connection
 * @param starttls upgrade the connection to TLS
 * @param sleepMs wait this long
 */
@Schema(description = "One step, with exactly one action: send, expect, expectClose, starttls or sleepMs")
public record ConversationStep(@Schema(description = "Optional name of the step") @Nullable String name, @Schema(
		description = "Payload to write with the framing; ${name} is replaced by a var or capture") @Nullable String send,
		@Schema(description = "Encoding of send, and of the frame the answer shows (default: the conversation's)") @Nullable Encoding encoding,
		@Schema(description = "A regex, or {equals|prefix|contains|regex|hex|hexPrefix: value}: frames are read until one matches; the others are counted in skipped") @Nullable Expect expect,
		@Schema(description = "RE2 regex: a frame matching it fails the step with REJECTED (checked before expect)") @Nullable String reject,
		@Schema(description = "Named groups (?P<name>...) of the expect regex become vars") @Nullable Boolean capture,
		@Schema(description = "How long this expect or expectClose may wait, in ms (default: what is left of timeoutMs)") @Nullable Integer timeoutMs,
		@Schema(description = "The peer closes the connection within the step's timeout") @Nullable Boolean expectClose,
		@Schema(description = "TCP: upgrade the connection to TLS, verified like tls: true") @Nullable Boolean starttls,
		@Schema(description = "Wait this many ms") @Nullable Integer sleepMs) {

}
