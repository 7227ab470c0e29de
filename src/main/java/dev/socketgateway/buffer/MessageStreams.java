package dev.socketgateway.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.socketgateway.GatewayException;
import dev.socketgateway.SocketExecutors;

/**
 * Server-sent event streams fed from a {@link MessageBuffer}: the socket reader only
 * signals, a pump on another thread reads the buffer and writes to the client, so a slow
 * client never stalls a socket (it falls behind and sees {@code dropped} instead).
 */
@Component
public class MessageStreams implements DisposableBean {

	static final long HEARTBEAT_SECONDS = 15;

	private final TaskExecutor executor;

	private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "sg-sse-heartbeat");
		thread.setDaemon(true);
		return thread;
	});

	private final Set<Pump> pumps = ConcurrentHashMap.newKeySet();

	MessageStreams(@Qualifier(SocketExecutors.SOCKET_EXECUTOR) TaskExecutor executor) {
		this.executor = executor;
		this.heartbeats.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
	}

	/**
	 * Starts a stream of {@code message} events, then {@code closed}: after
	 * {@code after}, else after {@code Last-Event-ID}, else from now on.
	 * @param buffer the buffer to follow
	 * @param after the {@code after} query parameter
	 * @param lastEventId the {@code Last-Event-ID} header of a reconnecting client
	 * @param render turns a message into the event's JSON data
	 * @return the emitter to return from the controller
	 */
	public SseEmitter stream(MessageBuffer buffer, @Nullable Long after, @Nullable String lastEventId,
			Function<ReceivedMessage, Object> render) {
		return stream(buffer, startAfter(after, lastEventId, buffer), render);
	}

	/**
	 * Where a stream starts: {@code after}, else {@code Last-Event-ID}, else now.
	 * @param after the query parameter
	 * @param lastEventId the header
	 * @param buffer the buffer
	 * @return the seq to stream after
	 */
	private static long startAfter(@Nullable Long after, @Nullable String lastEventId, MessageBuffer buffer) {
		if (after != null) {
			return Math.max(0, after);
		}
		if (lastEventId != null && !lastEventId.isBlank()) {
			try {
				return Math.max(0, Long.parseLong(lastEventId.trim()));
			}
			catch (NumberFormatException ex) {
				throw GatewayException.invalidField("Last-Event-ID", "must be a message seq");
			}
		}
		return buffer.lastSeq();
	}

	private SseEmitter stream(MessageBuffer buffer, long after, Function<ReceivedMessage, Object> render) {
		SseEmitter emitter = new SseEmitter(0L);
		try {
			// Something to send at once, so that the headers leave now: a stream with no
			// message yet would otherwise answer only with its first message or the
			// keep-alive comment 15 s later.
			emitter.send(SseEmitter.event().comment("open"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Pump pump = new Pump(buffer, after, render, emitter);
		this.pumps.add(pump);
		buffer.subscribe(pump);
		emitter.onCompletion(pump::stop);
		emitter.onTimeout(pump::stop);
		emitter.onError((ex) -> pump.stop());
		pump.run();
		return emitter;
	}

	private void heartbeat() {
		for (Pump pump : this.pumps) {
			pump.comment();
		}
	}

	@Override
	public void destroy() {
		this.heartbeats.shutdownNow();
		for (Pump pump : this.pumps) {
			pump.emitter.complete();
			pump.stop();
		}
	}

	private final class Pump implements Runnable {

		private final MessageBuffer buffer;

		private final Function<ReceivedMessage, Object> render;

		private final SseEmitter emitter;

		private final AtomicInteger signals = new AtomicInteger();

		private final AtomicBoolean stopped = new AtomicBoolean();

		private final Object sendLock = new Object();

		private long after;

		Pump(MessageBuffer buffer, long after, Function<ReceivedMessage, Object> render, SseEmitter emitter) {
			this.buffer = buffer;
			this.after = after;
			this.render = render;
			this.emitter = emitter;
		}

		/** Called by the buffer on news: schedules one drain, never blocks. */
		@Override
		public void run() {
			if (this.signals.getAndIncrement() == 0 && !this.stopped.get()) {
				MessageStreams.this.executor.execute(this::drain);
			}
		}

		private void drain() {
			do {
				this.signals.set(1);
				try {
					while (!this.stopped.get()) {
						MessageBuffer.Slice slice = this.buffer.read(this.after, 100);
						synchronized (this.sendLock) {
							for (ReceivedMessage message : slice.messages()) {
								this.emitter.send(SseEmitter.event()
									.name("message")
									.id(Long.toString(message.seq()))
									.data(this.render.apply(message), MediaType.APPLICATION_JSON));
								this.after = message.seq();
							}
						}
						if (slice.messages().isEmpty()) {
							if (slice.closed()) {
								synchronized (this.sendLock) {
									this.emitter.send(SseEmitter.event().name("closed").data("{}"));
								}
								this.emitter.complete();
								stop();
							}
							break;
						}
					}
				}
				catch (IOException | IllegalStateException ex) {
					stop();
					return;
				}
			}
			while (this.signals.decrementAndGet() > 0 && !this.stopped.get());
		}

		void comment() {
			if (this.stopped.get()) {
				return;
			}
			MessageStreams.this.executor.execute(() -> {
				try {
					synchronized (this.sendLock) {
						this.emitter.send(SseEmitter.event().comment("keep-alive"));
					}
				}
				catch (IOException | IllegalStateException ex) {
					stop();
				}
			});
		}

		void stop() {
			if (this.stopped.compareAndSet(false, true)) {
				this.buffer.unsubscribe(this);
				MessageStreams.this.pumps.remove(this);
			}
		}

	}

}
