package dev.socketgateway;

import java.util.concurrent.Semaphore;

import org.springframework.stereotype.Component;

/**
 * Caps one-shot exchanges and datagrams in flight; over the cap a request is answered 503
 * at once instead of queueing.
 */
@Component
public class InflightLimiter {

	private final Semaphore permits;

	private final int limit;

	public InflightLimiter(GatewayProperties properties) {
		this.limit = properties.limits().maxInflightExchanges();
		this.permits = new Semaphore(this.limit);
	}

	/**
	 * Takes a permit or fails with 503 {@code OVERLOADED}.
	 * @return a permit to close when the exchange ends
	 */
	public Permit acquire() {
		if (!this.permits.tryAcquire()) {
			throw new GatewayException(ErrorCode.OVERLOADED,
					this.limit + " exchanges are in flight (gateway.limits.max-inflight-exchanges); retry shortly",
					null, java.util.Map.of(), 1L);
		}
		return this.permits::release;
	}

	/**
	 * Permits free now.
	 * @return the count
	 */
	public int available() {
		return this.permits.availablePermits();
	}

	/**
	 * The configured cap.
	 * @return the cap
	 */
	public int limit() {
		return this.limit;
	}

	/**
	 * A held permit.
	 */
	@FunctionalInterface
	public interface Permit extends AutoCloseable {

		@Override
		void close();

	}

}
