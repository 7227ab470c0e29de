package dev.socketgateway.listener.rules;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.core.serializer.Serializer;

/**
 * Plays a {@link Plan} on a {@link Wire}: frames each payload with the listener's codec,
 * waits {@code delayMs}, drips pieces of {@code chunkBytes} with {@code chunkDelayMs}
 * between them, then keeps, closes or resets. Waits are scheduled, never slept, so a slow
 * answer holds no thread.
 */
public final class ResponsePlayer {

	private final ScheduledExecutorService timer;

	private final Executor io;

	/**
	 * Creates a player.
	 * @param timer schedules the waits (its tasks only hand over to {@code io})
	 * @param io runs the writes, which may block on a slow client
	 */
	public ResponsePlayer(ScheduledExecutorService timer, Executor io) {
		this.timer = timer;
		this.io = io;
	}

	/**
	 * Plays a plan.
	 * @param plan the plan
	 * @param framing frames each payload; {@code null} writes payloads as they are (UDP)
	 * @param wire the client
	 * @return completes once the last byte is written and the connection kept, closed or
	 * reset; completes exceptionally when a write failed
	 */
	public CompletableFuture<Void> play(Plan plan, @Nullable Serializer<byte[]> framing, Wire wire) {
		List<Action> actions = new ArrayList<>();
		for (Plan.Step step : plan.frames()) {
			byte[] framed = frame(step.payload(), framing);
			if (step.chunkBytes() <= 0 || step.chunkBytes() >= framed.length) {
				actions.add(new Action(step.delayMs(), framed, true));
				continue;
			}
			for (int from = 0; from < framed.length; from += step.chunkBytes()) {
				byte[] piece = Arrays.copyOfRange(framed, from, Math.min(framed.length, from + step.chunkBytes()));
				actions.add(new Action((from == 0) ? step.delayMs() : step.chunkDelayMs(), piece,
						from + step.chunkBytes() >= framed.length));
			}
		}
		CompletableFuture<Void> done = new CompletableFuture<>();
		run(actions, 0, plan.then(), wire, done);
		return done;
	}

	private void run(List<Action> actions, int index, Then then, Wire wire, CompletableFuture<Void> done) {
		if (index == actions.size()) {
			try {
				switch (then) {
					case CLOSE -> wire.close();
					case RESET -> wire.reset();
					case KEEP -> {
					}
				}
				done.complete(null);
			}
			catch (RuntimeException ex) {
				done.completeExceptionally(ex);
			}
			return;
		}
		Action action = actions.get(index);
		Runnable write = () -> {
			try {
				wire.write(action.bytes(), action.endOfFrame());
			}
			catch (IOException | RuntimeException ex) {
				done.completeExceptionally(ex);
				return;
			}
			run(actions, index + 1, then, wire, done);
		};
		if (action.delayMs() > 0) {
			this.timer.schedule(() -> this.io.execute(write), action.delayMs(), TimeUnit.MILLISECONDS);
		}
		else if (index == 0) {
			this.io.execute(write);
		}
		else {
			write.run();
		}
	}

	private static byte[] frame(byte[] payload, @Nullable Serializer<byte[]> framing) {
		if (framing == null) {
			return payload;
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 8);
		try {
			framing.serialize(payload, out);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return out.toByteArray();
	}

	private record Action(long delayMs, byte[] bytes, boolean endOfFrame) {

	}

}
