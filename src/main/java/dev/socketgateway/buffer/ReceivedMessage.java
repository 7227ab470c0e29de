package dev.socketgateway.buffer;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One buffered incoming message of a session or listener.
 *
 * @param seq sequence number, from 1 per session or listener
 * @param at when it arrived (millisecond precision)
 * @param payload the bytes without framing
 * @param from {@code ip:port} of the sender (listeners only)
 * @param connectionId the listener client's connection id (TCP listeners only)
 * @param rule the index of the listener rule that answered it (rules listeners only)
 */
public record ReceivedMessage(long seq, Instant at, byte[] payload, @Nullable String from,
		@Nullable String connectionId, @Nullable Integer rule) {

}
