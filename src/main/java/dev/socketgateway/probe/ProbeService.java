package dev.socketgateway.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Service;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.SocketExecutors;
import dev.socketgateway.conversation.Conversation;
import dev.socketgateway.conversation.ConversationCompiler;
import dev.socketgateway.conversation.ConversationRequest;
import dev.socketgateway.conversation.ConversationResult;
import dev.socketgateway.conversation.ConversationRunner;
import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.egress.Targets;
import dev.socketgateway.metrics.AuditLog;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.web.Timestamps;

/**
 * Runs probes on their interval, each never overlapping itself: a one-thread scheduler
 * ticks and hands each run to a virtual thread on JDK 21+; on 17 a small scheduler pool
 * runs them itself. Every run passes the egress policy again.
 */
@Service
public class ProbeService implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ProbeService.class);

	private static final boolean VIRTUAL = Runtime.version().feature() >= 21;

	private final ConversationCompiler compiler;

	private final ConversationRunner runner;

	private final Targets targets;

	private final MeterRegistry registry;

	private final AuditLog audit;

	private final Executor executor;

	private final ProbeProperties properties;

	private final Map<String, Probe> probes = new TreeMap<>();

	private final List<Probe> configured = new ArrayList<>();

	private @Nullable ScheduledThreadPoolExecutor scheduler;

	private volatile boolean running;

	ProbeService(ProbeProperties properties, ConversationCompiler compiler, ConversationRunner runner, Targets targets,
			MeterRegistry registry, AuditLog audit, @Qualifier(SocketExecutors.SOCKET_EXECUTOR) TaskExecutor executor) {
		this.properties = properties;
		this.compiler = compiler;
		this.runner = runner;
		this.targets = targets;
		this.registry = registry;
		this.audit = audit;
		this.executor = executor;
		properties.probes().forEach((name, definition) -> {
			String prefix = "gateway.probes." + name;
			try {
				checkName(name);
				this.configured.add(probe(name, definition.interval(), definition.toRequest(), "config"));
			}
			catch (GatewayException | IllegalArgumentException ex) {
				throw new IllegalStateException(prefix + ": " + ex.getMessage(), ex);
			}
		});
	}

	/**
	 * Creates and schedules a probe defined at run time; its target must pass the policy
	 * now (403 otherwise) and on every run.
	 * @param request the definition
	 * @return the probe
	 */
	Probe create(ProbeRequest request) {
		String name = request.name();
		if (name == null) {
			throw GatewayException.invalidField("name", "is required");
		}
		checkName(name);
		Probe probe = probe(name, (request.interval() != null) ? request.interval() : "30s", request.conversation(),
				"api");
		this.targets.resolve(probe.conversation.target(), probe.conversation.protocol());
		synchronized (this.probes) {
			if (this.probes.containsKey(name)) {
				throw GatewayException.invalidField("name", "a probe named '" + name + "' exists: delete it first");
			}
			int limit = this.properties.limits().maxProbes();
			if (this.probes.size() >= limit) {
				throw new GatewayException(ErrorCode.LIMIT_EXCEEDED,
						limit + " probes exist (gateway.limits.max-probes): delete one first", null,
						Map.of("limit", limit), 1L);
			}
			register(probe);
		}
		this.audit.record("probe.create", name, "-", 0, 0, "ok", 0);
		return probe;
	}

	/**
	 * Stops and forgets a probe, and removes its meters.
	 * @param name the probe
	 */
	void delete(String name) {
		Probe probe;
		synchronized (this.probes) {
			probe = this.probes.remove(name);
		}
		if (probe == null) {
			throw notFound(name);
		}
		unregister(probe);
		this.audit.record("probe.delete", name, "-", 0, 0, "ok", 0);
	}

	Probe get(String name) {
		synchronized (this.probes) {
			Probe probe = this.probes.get(name);
			if (probe == null) {
				throw notFound(name);
			}
			return probe;
		}
	}

	Collection<Probe> list() {
		synchronized (this.probes) {
			return new ArrayList<>(this.probes.values());
		}
	}

	private Probe probe(String name, String interval, ConversationRequest request, String source) {
		Duration period = Intervals.parse("interval", interval);
		Conversation conversation = this.compiler.compile(request, ConversationCompiler.DEFAULT_TIMEOUT_MS);
		return new Probe(name, interval, period, conversation, request, source,
				this.properties.limits().probeHistory());
	}

	private void register(Probe probe) {
		this.probes.put(probe.name, probe);
		List<Meter> meters = new ArrayList<>();
		meters.add(Gauge.builder(GatewayMetrics.PROBE_SUCCESS, probe, Probe::success)
			.description("Whether the probe's last run succeeded (1) or not (0)")
			.tag("probe", probe.name)
			.register(this.registry));
		meters.add(Gauge.builder(GatewayMetrics.PROBE_DURATION, probe, Probe::durationSeconds)
			.description("How long the probe's last run took")
			.baseUnit("seconds")
			.tag("probe", probe.name)
			.register(this.registry));
		Counter ok = Counter.builder(GatewayMetrics.PROBE_RUNS)
			.description("Probe runs")
			.tags("probe", probe.name, "outcome", "ok")
			.register(this.registry);
		Counter fail = Counter.builder(GatewayMetrics.PROBE_RUNS)
			.description("Probe runs")
			.tags("probe", probe.name, "outcome", "fail")
			.register(this.registry);
		meters.add(ok);
		meters.add(fail);
		probe.ok = ok;
		probe.fail = fail;
		probe.meters = List.copyOf(meters);
		ScheduledThreadPoolExecutor ticks = this.scheduler;
		if (ticks != null) {
			schedule(ticks, probe);
		}
	}

	private void unregister(Probe probe) {
		if (probe.schedule != null) {
			probe.schedule.cancel(false);
		}
		probe.meters.forEach(this.registry::remove);
		probe.history.close();
	}

	private void schedule(ScheduledThreadPoolExecutor ticks, Probe probe) {
		long period = probe.period.toMillis();
		probe.schedule = ticks.scheduleAtFixedRate(() -> tick(probe), 0, period, TimeUnit.MILLISECONDS);
	}

	private void tick(Probe probe) {
		if (!probe.running.compareAndSet(false, true)) {
			// the last run is still going: a probe never overlaps itself
			return;
		}
		Runnable run = () -> {
			try {
				runOnce(probe);
			}
			finally {
				probe.running.set(false);
			}
		};
		if (VIRTUAL) {
			try {
				this.executor.execute(run);
			}
			catch (RuntimeException ex) {
				probe.running.set(false);
			}
		}
		else {
			run.run();
		}
	}

	/**
	 * Runs a probe once and records the run.
	 * @param probe the probe
	 * @return the recorded run
	 */
	ProbeRun runOnce(Probe probe) {
		Instant at = Instant.now();
		long start = System.nanoTime();
		ConversationResult result;
		try {
			ResolvedTarget target = this.targets.resolve(probe.conversation.target(), probe.conversation.protocol());
			result = this.runner.run(probe.conversation, target, probe.conversation.timeoutMs());
		}
		catch (GatewayException ex) {
			result = failed(ex.code().name(), String.valueOf(ex.getMessage()), start);
		}
		catch (RuntimeException ex) {
			logger.warn("Probe " + probe.name + " failed unexpectedly", ex);
			result = failed("CONNECTION_RESET", "the probe failed: " + ex.getMessage(), start);
		}
		ProbeRun run = probe.history.append(new ProbeRun(0, Timestamps.format(at), result.ok(), result.durationMs(),
				result.failedStep(), result.error(), result.steps()));
		probe.success = result.ok() ? 1 : 0;
		probe.durationSeconds = (System.nanoTime() - start) / 1e9;
		Counter counter = result.ok() ? probe.ok : probe.fail;
		if (counter != null) {
			counter.increment();
		}
		return run;
	}

	private static ConversationResult failed(String code, String detail, long start) {
		return new ConversationResult(false, null, new ConversationResult.StepError(code, detail), List.of(), Map.of(),
				0, 0, 0, (System.nanoTime() - start) / 1_000_000, "-");
	}

	private static void checkName(String name) {
		if (name.isEmpty() || name.length() > 64 || !name.matches("[A-Za-z0-9._-]+")) {
			throw GatewayException.invalidField("name", "use 1 to 64 letters, digits, '.', '_' or '-'");
		}
	}

	private static GatewayException notFound(String name) {
		return new GatewayException(ErrorCode.PROBE_NOT_FOUND, "no probe named '" + name
				+ "' (GET /api/v1/probes lists them; probes defined at run time are lost on restart)");
	}

	@Override
	public void start() {
		AtomicInteger count = new AtomicInteger();
		ScheduledThreadPoolExecutor ticks = new ScheduledThreadPoolExecutor(VIRTUAL ? 1 : 4, (runnable) -> {
			Thread thread = new Thread(runnable, "sg-probes-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		ticks.setRemoveOnCancelPolicy(true);
		this.scheduler = ticks;
		synchronized (this.probes) {
			for (Probe probe : this.configured) {
				register(probe);
			}
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		ScheduledThreadPoolExecutor ticks = this.scheduler;
		this.scheduler = null;
		if (ticks != null) {
			ticks.shutdownNow();
		}
		synchronized (this.probes) {
			this.probes.values().forEach(this::unregister);
			this.probes.clear();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
