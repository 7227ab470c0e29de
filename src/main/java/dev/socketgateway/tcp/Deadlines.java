package dev.socketgateway.tcp;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Acts when a socket operation outlives its request's deadline, on one daemon thread for
 * the whole gateway. A blocking socket write has no timeout of its own, so a peer that
 * never reads would hold the request (and its thread) forever; and an untimed read that
 * this closes at the deadline is cheaper than a socket timeout on every read, which on
 * JDK 21+ arms and cancels a timer of the JDK's virtual-thread scheduler (and wakes its
 * thread) per read. Scheduling here wakes nobody: the deadlines are far ahead of the
 * queue's head.
 */
public final class Deadlines {

	private static final ScheduledThreadPoolExecutor EXECUTOR = executor();

	private Deadlines() {
	}

	/**
	 * Runs an action after a delay unless cancelled first.
	 * @param delayMs the delay
	 * @param action what to do then, typically closing a socket
	 * @return cancel it when the operation finished in time
	 */
	public static ScheduledFuture<?> after(long delayMs, Runnable action) {
		return EXECUTOR.schedule(action, delayMs, TimeUnit.MILLISECONDS);
	}

	private static ScheduledThreadPoolExecutor executor() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "sg-deadlines");
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

}
