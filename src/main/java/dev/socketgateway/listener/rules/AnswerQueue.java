package dev.socketgateway.listener.rules;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Keeps one client's answers in the order of its frames: an answer starts once the one
 * before it has been written, however long that one drips.
 */
public final class AnswerQueue {

	private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

	/**
	 * Queues an answer behind the ones already queued.
	 * @param answer starts the answer and returns its completion
	 */
	public synchronized void enqueue(Supplier<CompletableFuture<Void>> answer) {
		this.tail = this.tail.handle((ignored, ex) -> null).thenCompose((ignored) -> answer.get());
	}

}
