package dev.socketgateway.probe;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.LoopbackGateway;
import dev.socketgateway.support.PrometheusText;
import dev.socketgateway.support.RequiredBinary;
import dev.socketgateway.support.ServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/v1/probes} against a real redis-server: runs on the interval, the history
 * read with a cursor and long-polls, the meters, the policy and the limits.
 */
class ProbeApiTests extends LoopbackGateway {

	static ServerProcess redis;

	@BeforeAll
	static void servers() {
		int port = ServerProcess.freePort();
		redis = ServerProcess.start(port, List.of(RequiredBinary.find("redis-server").toString(), "--port",
				Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
	}

	@AfterAll
	static void stop() {
		redis.close();
	}

	@AfterEach
	void deleteProbes() {
		for (JsonNode probe : this.http.get("/api/v1/probes").json().get("probes")) {
			String name = probe.get("name").asString();
			if (!name.equals("from-config")) {
				this.http.delete("/api/v1/probes/" + name);
			}
		}
	}

	private Response create(String name, String interval, int port, List<Map<String, Object>> steps) {
		return this.http.postJson("/api/v1/probes",
				Map.of("name", name, "interval", interval, "host", "127.0.0.1", "port", port, "steps", steps));
	}

	private JsonNode runs(String name, long after, int waitMs) {
		Response response = this.http.get("/api/v1/probes/" + name + "/runs?after=" + after + "&waitMs=" + waitMs);
		assertThat(response.status()).as(response.text()).isEqualTo(200);
		return response.json();
	}

	private PrometheusText scrape() {
		return PrometheusText.parse(new Http(this.managementPort).get("/actuator/prometheus").text());
	}

	@Test
	void aProbeRunsOnItsIntervalAndIsMetered() {
		Response created = create("redis-ping", "200ms", redis.port(),
				List.of(Map.of("send", "PING"), Map.of("expect", Map.of("equals", "+PONG"))));
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		assertThat(created.header("Location")).endsWith("/api/v1/probes/redis-ping");
		JsonNode first = runs("redis-ping", 0, 10_000);
		assertThat(first.get("runs")).isNotEmpty();
		JsonNode run = first.get("runs").get(0);
		assertThat(run.get("seq").asLong()).isEqualTo(1);
		assertThat(run.get("ok").asBoolean()).as(run.toString()).isTrue();
		assertThat(run.get("steps").get(1).get("payload").get("payload").asString()).isEqualTo("+PONG");
		long next = first.get("next").asLong();
		JsonNode later = runs("redis-ping", next, 10_000);
		assertThat(later.get("runs").get(0).get("seq").asLong()).isEqualTo(next + 1);
		PrometheusText metrics = scrape();
		assertThat(metrics.sum("gateway_probe_success", "probe", "redis-ping")).isEqualTo(1);
		assertThat(metrics.sum("gateway_probe_runs_total", "probe", "redis-ping", "outcome", "ok"))
			.isGreaterThanOrEqualTo(2);
		assertThat(metrics.sum("gateway_probe_runs_total", "probe", "redis-ping", "outcome", "fail")).isZero();
		assertThat(metrics.sum("gateway_probe_duration_seconds", "probe", "redis-ping")).isBetween(0.0, 5.0);
		JsonNode listed = this.http.get("/api/v1/probes").json().get("probes");
		JsonNode mine = null;
		for (JsonNode probe : listed) {
			if (probe.get("name").asString().equals("redis-ping")) {
				mine = probe;
			}
		}
		assertThat(mine).isNotNull();
		assertThat(mine.get("interval").asString()).isEqualTo("200ms");
		assertThat(mine.get("lastRun").get("ok").asBoolean()).isTrue();
	}

	@Test
	void aFailingProbeSaysWhyAndItsGaugeIsZero() {
		int closed = ServerProcess.freePort();
		create("closed-port", "200ms", closed, List.of(Map.of("expect", "^220")));
		JsonNode run = runs("closed-port", 0, 10_000).get("runs").get(0);
		assertThat(run.get("ok").asBoolean()).isFalse();
		assertThat(run.get("failedStep").isNull()).isTrue();
		assertThat(run.get("error").get("code").asString()).isEqualTo("CONNECTION_REFUSED");
		PrometheusText metrics = scrape();
		assertThat(metrics.sum("gateway_probe_success", "probe", "closed-port")).isZero();
		assertThat(metrics.sum("gateway_probe_runs_total", "probe", "closed-port", "outcome", "fail"))
			.isGreaterThanOrEqualTo(1);
	}

	@Test
	void aProbeNeverOverlapsItself() {
		create("slow", "100ms", redis.port(),
				List.of(Map.of("send", "PING"), Map.of("sleepMs", 400), Map.of("expect", "PONG")));
		JsonNode one = runs("slow", 0, 10_000).get("runs").get(0);
		JsonNode two = runs("slow", 1, 10_000).get("runs").get(0);
		long gap = Instant.parse(two.get("at").asString()).toEpochMilli()
				- Instant.parse(one.get("at").asString()).toEpochMilli();
		assertThat(gap).isGreaterThanOrEqualTo(400);
		assertThat(one.get("ok").asBoolean()).isTrue();
	}

	@Test
	void configuredProbesRunFromStartUp() {
		JsonNode run = runs("from-config", 0, 10_000).get("runs").get(0);
		assertThat(run.get("error").get("code").asString()).isEqualTo("CONNECTION_REFUSED");
		assertThat(this.http.get("/api/v1/probes/from-config").json().get("source").asString()).isEqualTo("config");
	}

	@Test
	void aRefusedTargetIs403AtCreation() {
		Response response = this.http.postJson("/api/v1/probes", Map.of("name", "refused", "host", "127.0.0.2", "port",
				redis.port(), "steps", List.of(Map.of("send", "PING"))));
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.json().get("code").asString()).isEqualTo("TARGET_FORBIDDEN");
		assertThat(this.http.get("/api/v1/probes/refused").status()).isEqualTo(404);
	}

	@Test
	void deletedProbesAre404AndLoseTheirMeters() {
		create("short-lived", "1m", redis.port(), List.of(Map.of("send", "PING")));
		runs("short-lived", 0, 10_000);
		assertThat(this.http.delete("/api/v1/probes/short-lived").status()).isEqualTo(204);
		Response gone = this.http.get("/api/v1/probes/short-lived");
		assertThat(gone.status()).isEqualTo(404);
		assertThat(gone.json().get("code").asString()).isEqualTo("PROBE_NOT_FOUND");
		assertThat(scrape().samples()).noneMatch((sample) -> "short-lived".equals(sample.labels().get("probe")));
	}

	@Test
	void moreThanMaxProbesIs429() {
		// gateway.limits.max-probes=5, one of them from configuration
		for (int i = 0; i < 4; i++) {
			assertThat(create("p" + i, "1m", redis.port(), List.of(Map.of("send", "PING"))).status()).isEqualTo(201);
		}
		Response over = create("p4", "1m", redis.port(), List.of(Map.of("send", "PING")));
		assertThat(over.status()).isEqualTo(429);
		assertThat(over.json().get("code").asString()).isEqualTo("LIMIT_EXCEEDED");
		assertThat(over.header("Retry-After")).isNotBlank();
		JsonNode page = this.http.get("/api/v1/probes?limit=2").json();
		assertThat(page.get("probes")).hasSize(2);
		JsonNode rest = this.http.get("/api/v1/probes?limit=10&cursor=" + page.get("next").asString()).json();
		assertThat(rest.get("probes")).hasSize(3);
		assertThat(rest.get("next").isNull()).isTrue();
	}

	@Test
	void invalidProbesAre400() {
		assertThat(create("bad interval", "1m", redis.port(), List.of(Map.of("send", "PING"))).json()
			.get("detail")
			.asString()).startsWith("name:");
		assertThat(create("x", "soon", redis.port(), List.of(Map.of("send", "PING"))).json().get("detail").asString())
			.startsWith("interval:");
		assertThat(create("x", "1m", redis.port(), List.of(Map.of("send", "PING", "sleepMs", 1))).json()
			.get("detail")
			.asString()).startsWith("steps[0]:");
		assertThat(this.http.get("/api/v1/probes/from-config/runs?waitMs=-1").status()).isEqualTo(400);
	}

}
