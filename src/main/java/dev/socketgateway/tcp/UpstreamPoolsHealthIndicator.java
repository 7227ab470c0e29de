package dev.socketgateway.tcp;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Health component {@code upstreamPools}: how many pools exist, how many of their
 * connections are busy or idle, and how many were closed because bytes arrived after a
 * reply. Always UP: an empty or busy pool is not a fault.
 */
@Component
class UpstreamPoolsHealthIndicator extends AbstractHealthIndicator {

	private final ExchangePools pools;

	UpstreamPoolsHealthIndicator(ExchangePools pools) {
		super("Upstream pool health check failed");
		this.pools = pools;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, Object> details = new LinkedHashMap<>();
		ExchangePools.Stats stats = this.pools.stats();
		details.put("pools", stats.pools());
		details.put("activeConnections", stats.active());
		details.put("idleConnections", stats.idle());
		details.put("maxPerTarget", stats.maxPerTarget());
		details.put("closedWithUnreadBytes", stats.closedWithUnreadBytes());
		builder.up().withDetails(details);
	}

}
