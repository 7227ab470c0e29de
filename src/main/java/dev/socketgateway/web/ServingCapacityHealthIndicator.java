package dev.socketgateway.web;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.socketgateway.InflightLimiter;

/**
 * Health component {@code servingCapacity}: {@code BUSY} (503 on readiness only) while
 * every request thread of the API's server (a bounded pool on JDK 17; virtual threads
 * have no such bound) or every in-flight exchange slot is taken, so a load balancer stops
 * sending traffic that could only wait or fail.
 */
@Component("servingCapacity")
class ServingCapacityHealthIndicator extends AbstractHealthIndicator {

	/**
	 * Ranked above UP in readiness only (application.yml): alive but not taking traffic.
	 */
	static final Status BUSY = new Status("BUSY", "the gateway cannot take more requests now");

	private final InflightLimiter inflight;

	private volatile @Nullable Executor requestThreads;

	ServingCapacityHealthIndicator(InflightLimiter inflight) {
		super("Serving capacity check failed");
		this.inflight = inflight;
	}

	@EventListener
	void serverStarted(WebServerInitializedEvent event) {
		// the management server's own event reaches this context too: keep the API's
		if (event.getApplicationContext().getServerNamespace() == null
				&& event.getWebServer() instanceof TomcatWebServer tomcat) {
			this.requestThreads = tomcat.getTomcat().getConnector().getProtocolHandler().getExecutor();
		}
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean full = false;
		int free = this.inflight.available();
		builder.withDetail("inflightExchanges", this.inflight.limit() - free)
			.withDetail("maxInflightExchanges", this.inflight.limit());
		if (free <= 0) {
			full = true;
			builder.withDetail("reason",
					"every in-flight exchange slot is taken (gateway.limits.max-inflight-exchanges)");
		}
		Executor executor = this.requestThreads;
		int busy = -1;
		int max = -1;
		if (executor instanceof org.apache.tomcat.util.threads.ThreadPoolExecutor pool) {
			busy = pool.getActiveCount();
			max = pool.getMaximumPoolSize();
		}
		else if (executor instanceof ThreadPoolExecutor pool) {
			busy = pool.getActiveCount();
			max = pool.getMaximumPoolSize();
		}
		if (max > 0) {
			builder.withDetail("busyRequestThreads", busy).withDetail("maxRequestThreads", max);
			if (busy >= max) {
				full = true;
				builder.withDetail("reason", "every request thread is busy (server.tomcat.threads.max)");
			}
		}
		builder.status(full ? BUSY : Status.UP);
	}

}
