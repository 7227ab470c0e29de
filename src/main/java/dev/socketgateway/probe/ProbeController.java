package dev.socketgateway.probe;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.socketgateway.GatewayException;
import dev.socketgateway.conversation.ConversationRequest;
import dev.socketgateway.probe.ProbeRun.LastRun;

/**
 * {@code /api/v1/probes}: create, list, read and delete probes, and read their runs with
 * a cursor and a long-poll that holds no request thread.
 */
@RestController
@RequestMapping("/api/v1/probes")
class ProbeController {

	private static final int MAX_WAIT_MS = 30_000;

	private final ProbeService probes;

	ProbeController(ProbeService probes) {
		this.probes = probes;
	}

	@Operation(summary = "Create a probe: a conversation run on an interval")
	@PostMapping
	ResponseEntity<ProbeView> create(@RequestBody ProbeRequest request) {
		Probe probe = this.probes.create(request);
		return ResponseEntity.created(URI.create("/api/v1/probes/" + probe.name)).body(view(probe));
	}

	@Operation(summary = "List probes with their last run")
	@GetMapping
	ProbeList list(@RequestParam(defaultValue = "100") int limit,
			@RequestParam(required = false) @Nullable String cursor) {
		if (limit < 1) {
			throw GatewayException.invalidField("limit", "must be at least 1");
		}
		int max = Math.min(limit, 1000);
		String after = (cursor != null && !cursor.isEmpty()) ? decode(cursor) : null;
		List<ProbeSummary> page = new ArrayList<>();
		String next = null;
		for (Probe probe : this.probes.list()) {
			if (after != null && probe.name.compareTo(after) <= 0) {
				continue;
			}
			if (page.size() == max) {
				next = encode(page.get(page.size() - 1).name());
				break;
			}
			page.add(new ProbeSummary(probe.name, probe.interval, lastRun(probe)));
		}
		return new ProbeList(page, next);
	}

	@Operation(summary = "One probe: its definition and last run")
	@GetMapping("/{name}")
	ProbeView get(@PathVariable String name) {
		return view(this.probes.get(name));
	}

	@Operation(summary = "Delete a probe and its meters")
	@DeleteMapping("/{name}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String name) {
		this.probes.delete(name);
	}

	@Operation(summary = "A probe's last runs after a cursor, long-polling up to waitMs for the next one")
	@GetMapping("/{name}/runs")
	CompletableFuture<RunPage> runs(@PathVariable String name, @RequestParam(defaultValue = "0") long after,
			@RequestParam(defaultValue = "0") int waitMs, @RequestParam(defaultValue = "100") int max) {
		if (after < 0) {
			throw GatewayException.invalidField("after", "must not be negative");
		}
		if (waitMs < 0) {
			throw GatewayException.invalidField("waitMs", "must not be negative");
		}
		if (max < 1) {
			throw GatewayException.invalidField("max", "must be at least 1");
		}
		int count = Math.min(max, 1000);
		Probe probe = this.probes.get(name);
		List<ProbeRun> now = probe.history.after(after, count);
		if (!now.isEmpty() || waitMs == 0) {
			return CompletableFuture.completedFuture(page(now, after));
		}
		return probe.history.signal(after)
			.completeOnTimeout(null, Math.min(waitMs, MAX_WAIT_MS), TimeUnit.MILLISECONDS)
			.thenApply((ignored) -> page(probe.history.after(after, count), after));
	}

	private static RunPage page(List<ProbeRun> runs, long after) {
		return new RunPage(runs, runs.isEmpty() ? after : runs.get(runs.size() - 1).seq());
	}

	private static ProbeView view(Probe probe) {
		return new ProbeView(probe.name, probe.interval, probe.source, lastRun(probe), probe.definition);
	}

	private static @Nullable LastRun lastRun(Probe probe) {
		ProbeRun last = probe.history.last();
		return (last != null) ? last.summary() : null;
	}

	private static String encode(String name) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
	}

	private static String decode(String cursor) {
		try {
			return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw GatewayException.invalidField("cursor", "is not a cursor this API returned: pass `next` back as is");
		}
	}

	/**
	 * A page of probes.
	 *
	 * @param probes the probes, by name
	 * @param next the cursor of the next page
	 */
	record ProbeList(@Schema(description = "the probes, by name") List<ProbeSummary> probes,
			@Schema(description = "the cursor of the next page") @Nullable String next) {
	}

	/**
	 * A probe in a listing.
	 *
	 * @param name its name
	 * @param interval its interval
	 * @param lastRun its last run, {@code null} before the first
	 */
	record ProbeSummary(@Schema(description = "its name") String name,
			@Schema(description = "its interval") String interval,
			@Schema(description = "its last run, null before the first") @Nullable LastRun lastRun) {
	}

	/**
	 * One probe.
	 *
	 * @param name its name
	 * @param interval its interval
	 * @param source {@code config} (gateway.probes) or {@code api}
	 * @param lastRun its last run
	 * @param conversation what it runs
	 */
	record ProbeView(@Schema(description = "its name") String name,
			@Schema(description = "its interval") String interval,
			@Schema(description = "config (gateway.probes) or api") String source,
			@Schema(description = "its last run") @Nullable LastRun lastRun,
			@Schema(description = "what it runs") ConversationRequest conversation) {
	}

	/**
	 * A page of runs.
	 *
	 * @param runs the runs, oldest first
	 * @param next the last returned seq (or {@code after}): pass it back as {@code after}
	 */
	record RunPage(@Schema(description = "the runs, oldest first") List<ProbeRun> runs,
			@Schema(description = "the last returned seq (or after): pass it back as after") long next) {
	}

}
