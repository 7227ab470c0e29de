package dev.socketgateway.probe;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import org.jspecify.annotations.Nullable;

import dev.socketgateway.conversation.Conversation;
import dev.socketgateway.conversation.ConversationRequest;

/**
 * A scheduled conversation: its definition, history, meters and whether it is running.
 */
final class Probe {

	final String name;

	final String interval;

	final Duration period;

	final Conversation conversation;

	final ConversationRequest definition;

	final String source;

	final ProbeHistory history;

	final AtomicBoolean running = new AtomicBoolean();

	volatile double success = Double.NaN;

	volatile double durationSeconds = Double.NaN;

	volatile @Nullable ScheduledFuture<?> schedule;

	volatile List<Meter> meters = List.of();

	volatile @Nullable Counter ok;

	volatile @Nullable Counter fail;

	Probe(String name, String interval, Duration period, Conversation conversation, ConversationRequest definition,
			String source, int historySize) {
		this.name = name;
		this.interval = interval;
		this.period = period;
		this.conversation = conversation;
		this.definition = definition;
		this.source = source;
		this.history = new ProbeHistory(historySize);
	}

	double success() {
		return this.success;
	}

	double durationSeconds() {
		return this.durationSeconds;
	}

}
