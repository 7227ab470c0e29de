package dev.socketgateway.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import dev.socketgateway.observability.PrometheusServer;
import dev.socketgateway.support.LoopbackGateway;
import dev.socketgateway.support.TcpPeer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Prometheus scrapes {@code /probe} through the {@code socket-gateway-probes} job
 * of deploy/prometheus/prometheus.yml (its multi-target relabelling unchanged, only the
 * addresses moved to loopback): {@code probe_success} is 1, then 0 once the target stops.
 */
class ProbeScrapeTests extends LoopbackGateway {

	static TcpPeer echo;

	@BeforeAll
	static void peer() throws IOException {
		// a line echo, as the demo's echo-tcp that the job probes in docker-compose
		echo = TcpPeer.echo();
	}

	@AfterAll
	static void stop() throws IOException {
		echo.close();
	}

	@Test
	@SuppressWarnings("unchecked")
	void probeSuccessIsOneThenZeroOnceTheTargetStops() throws IOException {
		Map<String, Object> config = new Yaml().load(Files.readString(Path.of("deploy/prometheus/prometheus.yml")));
		Map<String, Object> job = ((List<Map<String, Object>>) config.get("scrape_configs")).stream()
			.filter((candidate) -> "socket-gateway-probes".equals(candidate.get("job_name")))
			.findFirst()
			.orElseThrow();
		String target = "127.0.0.1:" + echo.port();
		job.put("static_configs", List.of(Map.of("targets", List.of(target))));
		for (Map<String, Object> relabel : (List<Map<String, Object>>) job.get("relabel_configs")) {
			if ("gateway:8081".equals(relabel.get("replacement"))) {
				relabel.put("replacement", "127.0.0.1:" + this.managementPort);
			}
		}
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		String scrapeConfigs = new Yaml(options).dump(List.of(job));
		try (PrometheusServer prometheus = PrometheusServer.builder("127.0.0.1:" + this.managementPort)
			.job("socket-gateway-probes")
			.scrapeConfigs(scrapeConfigs)
			.start()) {
			String query = "probe_success{job=\"socket-gateway-probes\"}";
			Awaitility.await()
				.atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(500))
				.untilAsserted(() -> assertThat(prometheus.query(query)).singleElement().satisfies((sample) -> {
					assertThat(sample.value()).isEqualTo(1);
					assertThat(sample.label("instance")).isEqualTo(target);
					assertThat(sample.label("module")).isEqualTo("echo");
				}));
			echo.close();
			Awaitility.await()
				.atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(500))
				.untilAsserted(() -> assertThat(prometheus.query(query)).singleElement()
					.satisfies((sample) -> assertThat(sample.value()).isZero()));
		}
	}

}
