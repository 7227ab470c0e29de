package dev.socketgateway.observability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.socketgateway.observability.GrafanaDashboard.PanelQuery;
import dev.socketgateway.observability.PrometheusServer.Sample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every panel query of the dashboard, and every recording rule, returns data from a real
 * Prometheus that scrapes a gateway-shaped exposition (gateway-fixture.prom).
 */
class DashboardQueriesPrometheusTests {

	private static ExpositionServer exposition;

	private static PrometheusServer prometheus;

	@BeforeAll
	static void start() throws IOException {
		exposition = ExpositionServer.growing(fixture());
		prometheus = PrometheusServer.builder(exposition.target())
			.metricsPath(ExpositionServer.PATH)
			.ruleFiles(PrometheusRulesTests.RULES)
			.start();
		// rate() over 1m needs two samples; the third scrape leaves a margin
		prometheus.awaitScrapes(3, Duration.ofSeconds(30));
	}

	@AfterAll
	static void stop() {
		if (prometheus != null) {
			prometheus.close();
		}
		if (exposition != null) {
			exposition.close();
		}
	}

	@TestFactory
	Stream<DynamicTest> everyPanelQueryReturnsData() {
		List<PanelQuery> queries = GrafanaDashboard.panelQueries(GrafanaDashboard.SOCKET_GATEWAY);
		assertThat(queries).isNotEmpty();
		return queries.stream().map((query) -> DynamicTest.dynamicTest(query.panelTitle() + " " + query.refId(), () -> {
			List<Sample> samples = prometheus.query(query.resolvedExpr());
			assertThat(samples).as("%s%nresolved: %s", query, query.resolvedExpr()).isNotEmpty();
			assertThat(samples).as("%s gave %s", query, samples)
				.allSatisfy((sample) -> assertThat(sample.value()).isFinite());
		}));
	}

	@Test
	void recordingRulesProduceSeriesFromTheExposition() {
		List<String> recorded = List.of("job_protocol:gateway_connection_failures:ratio_rate5m",
				"job_protocol:gateway_exchange_duration_seconds:p99_rate5m",
				"job_instance:gateway_exchanges_inflight:avg_rate5m");
		org.awaitility.Awaitility.await("recording rules evaluated")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertThat(recorded)
				.allSatisfy((name) -> assertThat(prometheus.query(name)).as(name).isNotEmpty()));
		assertThat(prometheus.query("job_protocol:gateway_exchange_duration_seconds:p99_rate5m"))
			.extracting((sample) -> sample.label("protocol"))
			.containsExactlyInAnyOrder("tcp", "udp");
	}

	private static String fixture() throws IOException {
		try (InputStream in = DashboardQueriesPrometheusTests.class.getResourceAsStream("gateway-fixture.prom")) {
			assertThat(in).as("gateway-fixture.prom on the test classpath").isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
