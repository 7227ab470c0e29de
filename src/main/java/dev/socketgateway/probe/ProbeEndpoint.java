package dev.socketgateway.probe;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.InflightLimiter;
import dev.socketgateway.conversation.Conversation;
import dev.socketgateway.conversation.ConversationResult;
import dev.socketgateway.conversation.ConversationResult.StepResult;
import dev.socketgateway.conversation.ConversationRunner;
import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.egress.TargetRequest;
import dev.socketgateway.egress.Targets;
import dev.socketgateway.metrics.AuditLog;

/**
 * {@code GET /probe?module=&target=} on the management port, answered as
 * blackbox_exporter answers it: a text exposition whose {@code probe_success} says
 * whether the module's conversation succeeded against the target. Stateless: any replica
 * answers.
 */
final class ProbeEndpoint {

	/** The header Prometheus sends with its scrape timeout. */
	static final String SCRAPE_TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds";

	private static final MediaType EXPOSITION = MediaType.parseMediaType("text/plain; version=0.0.4; charset=utf-8");

	private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

	/** blackbox_exporter's default offset taken from the scrape timeout. */
	private static final double TIMEOUT_OFFSET_SECONDS = 0.5;

	private final ProbeModules modules;

	private final ConversationRunner runner;

	private final Targets targets;

	private final InflightLimiter inflight;

	ProbeEndpoint(ProbeModules modules, ConversationRunner runner, Targets targets, InflightLimiter inflight) {
		this.modules = modules;
		this.runner = runner;
		this.targets = targets;
		this.inflight = inflight;
	}

	ServerResponse handle(ServerRequest request) {
		try {
			ProbeModule module = this.modules.get(request.param("module").orElse(null));
			TargetRequest target = target(request.param("target").orElse(null));
			long timeoutMs = timeoutMs(module.timeout(), request.headers().firstHeader(SCRAPE_TIMEOUT_HEADER));
			Conversation conversation = module.conversation().withTarget(target);
			ResolvedTarget resolved = this.targets.resolve(target, conversation.protocol());
			ConversationResult result;
			try (InflightLimiter.Permit permit = this.inflight.acquire()) {
				result = this.runner.run(conversation, resolved, (int) timeoutMs);
			}
			return ServerResponse.ok().contentType(EXPOSITION).body(exposition(result, conversation));
		}
		catch (GatewayException ex) {
			return problem(ex);
		}
	}

	/**
	 * The deadline: the module's timeout, or the scrape timeout less 0.5 s when that is
	 * shorter (as blackbox_exporter computes it).
	 * @param moduleTimeout the module's timeout
	 * @param header the scrape timeout header, if any
	 * @return the deadline in ms, at least 1
	 */
	static long timeoutMs(Duration moduleTimeout, @Nullable String header) {
		double seconds = moduleTimeout.toMillis() / 1000.0;
		if (header != null && !header.isBlank()) {
			double scrape;
			try {
				scrape = Double.parseDouble(header.trim());
			}
			catch (NumberFormatException ex) {
				throw GatewayException.invalidField(SCRAPE_TIMEOUT_HEADER, "is not a number of seconds: " + header);
			}
			double allowed = scrape - TIMEOUT_OFFSET_SECONDS;
			if (allowed < seconds) {
				seconds = allowed;
			}
		}
		return Math.max(1, (long) (seconds * 1000));
	}

	private static TargetRequest target(@Nullable String target) {
		if (target == null || target.isBlank()) {
			throw GatewayException.invalidField("target",
					"is required: HOST:PORT, [IPv6]:PORT or the name of a configured target");
		}
		int colon = target.lastIndexOf(':');
		boolean bracketed = target.startsWith("[");
		if (colon < 0 || (bracketed && colon < target.indexOf(']'))) {
			// no port: the name of a configured target
			return new TargetRequest(target, null, null);
		}
		String host = target.substring(0, colon);
		String port = target.substring(colon + 1);
		if (!bracketed && host.indexOf(':') >= 0) {
			throw GatewayException.invalidField("target", "write an IPv6 address in brackets: [::1]:7000");
		}
		try {
			return new TargetRequest(null, host, Integer.parseInt(port));
		}
		catch (NumberFormatException ex) {
			throw GatewayException.invalidField("target", "'" + port + "' is not a port number");
		}
	}

	private static String exposition(ConversationResult result, Conversation conversation) {
		StringBuilder out = new StringBuilder(512);
		gauge(out, "probe_success", "Displays whether or not the probe was a success", result.ok() ? 1 : 0);
		gauge(out, "probe_duration_seconds", "Returns how long the probe took to complete in seconds",
				result.durationMs() / 1000.0);
		gauge(out, "probe_failed_due_to_regex", "Indicates if probe failed due to regex",
				failedDueToRegex(result, conversation) ? 1 : 0);
		out.append("# HELP probe_step_duration_seconds How long each step of the conversation took\n");
		out.append("# TYPE probe_step_duration_seconds gauge\n");
		for (StepResult step : result.steps()) {
			out.append("probe_step_duration_seconds{step=\"")
				.append(step.index())
				.append("\"} ")
				.append(number(step.durationMs() / 1000.0))
				.append('\n');
		}
		return out.toString();
	}

	private static boolean failedDueToRegex(ConversationResult result, Conversation conversation) {
		if (result.ok() || result.error() == null || result.steps().isEmpty()) {
			return false;
		}
		StepResult last = result.steps().get(result.steps().size() - 1);
		if (!last.action().equals("expect")) {
			return false;
		}
		String code = result.error().code();
		// blackbox_exporter also counts a close before any line matched as a regex
		// failure
		return code.equals(ConversationRunner.REJECTED) || code.equals(ErrorCode.REPLY_TIMEOUT.name())
				|| (conversation.dialect() == Conversation.Dialect.BLACKBOX
						&& code.equals(ErrorCode.PEER_CLOSED.name()));
	}

	private static void gauge(StringBuilder out, String name, String help, double value) {
		out.append("# HELP ").append(name).append(' ').append(help).append('\n');
		out.append("# TYPE ").append(name).append(" gauge\n");
		out.append(name).append(' ').append(number(value)).append('\n');
	}

	private static String number(double value) {
		if (value == Math.rint(value)) {
			return Long.toString((long) value);
		}
		return String.format(Locale.ROOT, "%.6f", value);
	}

	private static ServerResponse problem(GatewayException ex) {
		ErrorCode code = ex.code();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", "about:blank");
		body.put("title", code.title());
		body.put("status", code.status().value());
		body.put("detail", ex.getMessage());
		body.put("instance", "/probe");
		body.put("code", code.name());
		String requestId = MDC.get(AuditLog.REQUEST_ID);
		if (requestId != null) {
			body.put("requestId", requestId);
		}
		Object errors = ex.properties().get("errors");
		if (errors instanceof List<?>) {
			body.put("errors", errors);
		}
		ServerResponse.BodyBuilder response = ServerResponse.status(code.status()).contentType(PROBLEM);
		if (ex.retryAfterSeconds() != null) {
			response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, ex.retryAfterSeconds())));
		}
		return response.body(body);
	}

}
