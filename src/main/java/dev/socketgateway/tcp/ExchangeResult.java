package dev.socketgateway.tcp;

import org.jspecify.annotations.Nullable;

import dev.socketgateway.payload.CompletedBy;
import dev.socketgateway.payload.Frame;

/**
 * What an exchange did.
 *
 * @param reply the reply frame, or {@code null} when none was awaited
 * @param completedBy how the reply ended
 * @param bytesSent wire bytes written
 * @param bytesReceived wire bytes read
 * @param connectMs time to connect, 0 on a reused connection
 * @param durationMs the whole exchange
 * @param remote {@code ip:port} the exchange went to
 */
public record ExchangeResult(@Nullable Frame reply, CompletedBy completedBy, long bytesSent, long bytesReceived,
		long connectMs, long durationMs, String remote) {

}
