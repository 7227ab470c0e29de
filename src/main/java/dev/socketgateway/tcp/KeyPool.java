package dev.socketgateway.tcp;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.socketgateway.payload.FrameCodec;

/**
 * The connections of one key: idle ones most recently used first, and a cap on how many
 * are checked out at once.
 */
final class KeyPool {

	final ExchangePools.PoolKey key;

	final FrameCodec codec;

	/** A close before the reply is an error, not a quiet end. */
	final ClientDeserializer reader;

	final ConcurrentLinkedDeque<ExchangeConnection> idle = new ConcurrentLinkedDeque<>();

	private final int max;

	private final Semaphore permits;

	volatile long lastUsed = System.nanoTime();

	KeyPool(ExchangePools.PoolKey key, int max, FrameCodec codec) {
		this.key = key;
		this.max = max;
		this.permits = new Semaphore(max);
		this.codec = codec;
		this.reader = new ClientDeserializer(codec);
	}

	void touch() {
		this.lastUsed = System.nanoTime();
	}

	boolean acquire(int waitMs) {
		if (this.permits.tryAcquire()) {
			return true;
		}
		try {
			return this.permits.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	void release() {
		this.permits.release();
	}

	int activeCount() {
		return this.max - this.permits.availablePermits();
	}

}
