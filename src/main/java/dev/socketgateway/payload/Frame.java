package dev.socketgateway.payload;

/**
 * One received message with what it cost on the wire and how it ended.
 *
 * @param payload the message without its framing
 * @param wireBytes bytes read from the socket for this message, framing included
 * @param completedBy how the message ended
 */
public record Frame(byte[] payload, int wireBytes, CompletedBy completedBy) {

}
