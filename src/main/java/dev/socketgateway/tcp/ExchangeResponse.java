package dev.socketgateway.tcp;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import dev.socketgateway.payload.CompletedBy;
import dev.socketgateway.payload.EncodedPayload;

/**
 * The outcome of a one-shot TCP exchange.
 *
 * @param reply the reply, {@code null} when none was awaited
 * @param completedBy how the reply ended
 * @param bytesSent wire bytes written, framing included
 * @param bytesReceived wire bytes read, framing included
 * @param connectMs time to connect, 0 on a pooled connection
 * @param durationMs the whole exchange
 * @param remote the address the exchange went to
 */
@Schema(description = "The outcome of a one-shot TCP exchange")
public record ExchangeResponse(@Schema(
		description = "The reply without framing, or null when no reply was awaited") @Nullable EncodedPayload reply,
		@Schema(description = "How the reply ended: delimiter, length, closed, idle, max-bytes, or sent when no reply was awaited") CompletedBy completedBy,
		@Schema(description = "Bytes written to the socket, framing included") long bytesSent,
		@Schema(description = "Bytes read from the socket, framing included") long bytesReceived,
		@Schema(description = "Milliseconds to connect (0 when a pooled connection was reused)") long connectMs,
		@Schema(description = "Milliseconds for the whole exchange") long durationMs,
		@Schema(description = "The address the exchange went to, ip:port ([v6]:port)",
				example = "127.0.0.1:9000") String remote) {

}
