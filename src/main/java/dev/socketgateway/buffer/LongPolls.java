package dev.socketgateway.buffer;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

import dev.socketgateway.SocketExecutors;

/**
 * Long-polls on a buffer that hold no request thread while they wait: the answer is a
 * {@link DeferredResult} completed by the buffer's next append (or close), or by a timer
 * with whatever is there (usually the empty page), on JDK 17 as on 21+.
 */
@Component
public class LongPolls implements DisposableBean {

	/** Spring's own async timeout only backs up the timer. */
	private static final long BACKSTOP_MS = 30_000;

	private final TaskExecutor executor;

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "sg-long-poll-timer");
		thread.setDaemon(true);
		return thread;
	});

	LongPolls(@Qualifier(SocketExecutors.SOCKET_EXECUTOR) TaskExecutor executor) {
		this.executor = executor;
	}

	/**
	 * Reads messages after {@code after}, waiting up to {@code waitMs} for the first.
	 * @param <T> the page type
	 * @param buffer the buffer
	 * @param after the last seq the reader has
	 * @param max most messages to return
	 * @param waitMs longest wait (0: answer at once)
	 * @param render turns a slice into the response body
	 * @return the result to return from the controller
	 */
	public <T> DeferredResult<T> poll(MessageBuffer buffer, long after, int max, long waitMs,
			Function<MessageBuffer.Slice, T> render) {
		DeferredResult<T> result = new DeferredResult<>(waitMs + BACKSTOP_MS);
		MessageBuffer.Slice now = buffer.read(after, max);
		if (!now.messages().isEmpty() || now.closed() || waitMs <= 0) {
			result.setResult(render.apply(now));
			return result;
		}
		Poll<T> poll = new Poll<>(buffer, after, max, render, result);
		buffer.subscribe(poll);
		poll.timeout = this.timer.schedule(poll::finish, waitMs, TimeUnit.MILLISECONDS);
		result.onTimeout(poll::finish);
		result.onCompletion(poll::stop);
		result.onError((ex) -> poll.stop());
		// a message may have come between the read and the subscription
		poll.run();
		return result;
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
	}

	private final class Poll<T> implements Runnable {

		private final MessageBuffer buffer;

		private final long after;

		private final int max;

		private final Function<MessageBuffer.Slice, T> render;

		private final DeferredResult<T> result;

		private final AtomicBoolean done = new AtomicBoolean();

		volatile @Nullable ScheduledFuture<?> timeout;

		Poll(MessageBuffer buffer, long after, int max, Function<MessageBuffer.Slice, T> render,
				DeferredResult<T> result) {
			this.buffer = buffer;
			this.after = after;
			this.max = max;
			this.render = render;
			this.result = result;
		}

		/** Called by the buffer on news: cheap checks only, never blocks. */
		@Override
		public void run() {
			if (!this.done.get() && (this.buffer.lastSeq() > this.after || this.buffer.read(this.after, 0).closed())) {
				finish();
			}
		}

		void finish() {
			if (this.done.compareAndSet(false, true)) {
				stop();
				// read and render off the socket's thread
				LongPolls.this.executor
					.execute(() -> this.result.setResult(this.render.apply(this.buffer.read(this.after, this.max))));
			}
		}

		void stop() {
			this.done.set(true);
			this.buffer.unsubscribe(this);
			ScheduledFuture<?> scheduled = this.timeout;
			if (scheduled != null) {
				scheduled.cancel(false);
			}
		}

	}

}
