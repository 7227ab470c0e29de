package dev.socketgateway.listener;

import java.net.BindException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.egress.Protocol;
import dev.socketgateway.registry.Registry;

/**
 * Health component {@code listeners}: open listeners by protocol, their clients, and the
 * last binds that failed (a 409 answered to a caller, kept here for the operator). UP: a
 * failed bind is the caller's problem, not the gateway's.
 */
final class ListenersHealthIndicator extends AbstractHealthIndicator {

	private static final int KEPT_FAILURES = 10;

	private final Registry<Listener> listeners;

	private final Deque<Map<String, String>> failures = new ArrayDeque<>();

	ListenersHealthIndicator(Registry<Listener> listeners) {
		super("Listener health check failed");
		this.listeners = listeners;
	}

	/**
	 * Keeps a failed bind for the operator and says what went wrong to the caller.
	 * @param address the address
	 * @param port the port asked for
	 * @param cause why, if known
	 * @return the problem to answer
	 */
	GatewayException bindFailed(String address, int port, @Nullable Throwable cause) {
		keep(address + ":" + port, (cause != null) ? String.valueOf(cause.getMessage()) : "in use");
		Throwable current = cause;
		while (current != null && !(current instanceof BindException)) {
			current = current.getCause();
		}
		if (current != null || cause == null) {
			return new GatewayException(ErrorCode.PORT_IN_USE, address + ":" + port
					+ " is already bound by another listener or process: pick another port, or 0 for any free one",
					cause);
		}
		return new GatewayException(ErrorCode.PORT_IN_USE,
				"could not bind " + address + ":" + port + ": " + cause.getMessage(), cause);
	}

	private void keep(String address, String reason) {
		Map<String, String> failure = new LinkedHashMap<>();
		failure.put("address", address);
		failure.put("reason", reason);
		failure.put("at", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
		synchronized (this.failures) {
			this.failures.addFirst(failure);
			while (this.failures.size() > KEPT_FAILURES) {
				this.failures.removeLast();
			}
		}
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		int tcp = 0;
		int udp = 0;
		int clients = 0;
		for (Listener listener : this.listeners.all()) {
			if (!listener.closed) {
				if (listener.protocol == Protocol.TCP) {
					tcp++;
				}
				else {
					udp++;
				}
				clients += listener.clients();
			}
		}
		List<Map<String, String>> recent;
		synchronized (this.failures) {
			recent = new ArrayList<>(this.failures);
		}
		builder.up()
			.withDetail("tcp", tcp)
			.withDetail("udp", udp)
			.withDetail("clients", clients)
			.withDetail("recentBindFailures", recent);
	}

	/**
	 * Registers the indicator as a bean.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Registration {

		@Bean
		AbstractHealthIndicator listenersHealthIndicator(ListenerService listeners) {
			return listeners.health();
		}

	}

}
