package dev.socketgateway.probe;

import java.time.Duration;

import dev.socketgateway.conversation.Conversation;

/**
 * A module {@code /probe} runs against the target it is given.
 *
 * @param name its name
 * @param conversation the conversation, without target
 * @param timeout its deadline, before the scrape timeout shortens it
 * @param source {@code gateway.probe-modules} or the blackbox_exporter file
 */
record ProbeModule(String name, Conversation conversation, Duration timeout, String source) {
}
