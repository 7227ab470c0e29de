package dev.socketgateway.probe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * The last runs of one probe, numbered from 1, with long-poll waiters woken by each new
 * run.
 */
final class ProbeHistory {

	private final int capacity;

	private final ArrayDeque<ProbeRun> runs = new ArrayDeque<>();

	private final List<CompletableFuture<Void>> waiters = new ArrayList<>();

	private long seq;

	ProbeHistory(int capacity) {
		this.capacity = Math.max(1, capacity);
	}

	/**
	 * Numbers and keeps a run, dropping the oldest beyond the capacity.
	 * @param run the run without its number
	 * @return the numbered run
	 */
	ProbeRun append(ProbeRun run) {
		List<CompletableFuture<Void>> woken;
		ProbeRun numbered;
		synchronized (this) {
			numbered = new ProbeRun(++this.seq, run.at(), run.ok(), run.durationMs(), run.failedStep(), run.error(),
					run.steps());
			this.runs.addLast(numbered);
			while (this.runs.size() > this.capacity) {
				this.runs.removeFirst();
			}
			woken = new ArrayList<>(this.waiters);
			this.waiters.clear();
		}
		woken.forEach((waiter) -> waiter.complete(null));
		return numbered;
	}

	synchronized List<ProbeRun> after(long after, int max) {
		List<ProbeRun> page = new ArrayList<>();
		for (ProbeRun run : this.runs) {
			if (run.seq() > after) {
				page.add(run);
				if (page.size() == max) {
					break;
				}
			}
		}
		return page;
	}

	synchronized @Nullable ProbeRun last() {
		return this.runs.peekLast();
	}

	/**
	 * Completes once a run numbered above {@code after} exists, or the probe is deleted.
	 * @param after the caller's cursor
	 * @return the signal
	 */
	synchronized CompletableFuture<Void> signal(long after) {
		CompletableFuture<Void> signal = new CompletableFuture<>();
		if (this.seq > after) {
			signal.complete(null);
			return signal;
		}
		this.waiters.add(signal);
		signal.whenComplete((ignored, ex) -> {
			synchronized (this) {
				this.waiters.remove(signal);
			}
		});
		return signal;
	}

	void close() {
		List<CompletableFuture<Void>> woken;
		synchronized (this) {
			woken = new ArrayList<>(this.waiters);
			this.waiters.clear();
		}
		woken.forEach((waiter) -> waiter.complete(null));
	}

}
