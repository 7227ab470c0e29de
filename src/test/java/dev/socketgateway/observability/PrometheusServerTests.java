package dev.socketgateway.observability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.socketgateway.observability.PrometheusServer.Sample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link PrometheusServer} runs the real prometheus binary against a loopback HTTP server
 * serving a fixed exposition, and answers queries with what it scraped.
 */
class PrometheusServerTests {

	private static final String EXPOSITION = """
			# HELP gateway_connections_active Open connections
			# TYPE gateway_connections_active gauge
			gateway_connections_active{application="socket-gateway",direction="outbound",protocol="tcp"} 3
			gateway_connections_active{application="socket-gateway",direction="inbound",protocol="tcp"} 1
			# HELP gateway_bytes_sent_total Wire bytes sent
			# TYPE gateway_bytes_sent_total counter
			gateway_bytes_sent_total{application="socket-gateway",direction="outbound",protocol="tcp",target="echo-tcp"} 7
			""";

	private static ExpositionServer exposition;

	private static PrometheusServer prometheus;

	@BeforeAll
	static void start() {
		exposition = ExpositionServer.fixed(EXPOSITION);
		prometheus = PrometheusServer.start(exposition.target(), ExpositionServer.PATH);
		prometheus.awaitScrapes(2, Duration.ofSeconds(30));
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

	@Test
	void queryReturnsTheServedValueWithTheScrapeLabels() {
		List<Sample> samples = prometheus.query("gateway_connections_active{direction=\"outbound\"}");
		assertThat(samples).singleElement().satisfies((sample) -> {
			assertThat(sample.value()).isEqualTo(3.0);
			assertThat(sample.label("__name__")).isEqualTo("gateway_connections_active");
			assertThat(sample.label("protocol")).isEqualTo("tcp");
			assertThat(sample.label("application")).isEqualTo("socket-gateway");
			assertThat(sample.label("instance")).isEqualTo(exposition.target());
			assertThat(sample.label("job")).isEqualTo(PrometheusServer.DEFAULT_JOB);
		});
		assertThat(exposition.scrapes()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void queryReturnsAggregatesAndScalars() {
		assertThat(prometheus.query("sum by (protocol) (gateway_connections_active)")).singleElement()
			.satisfies((sample) -> {
				assertThat(sample.labels()).containsOnlyKeys("protocol");
				assertThat(sample.value()).isEqualTo(4.0);
			});
		assertThat(prometheus.query("scalar(gateway_bytes_sent_total) * 2")).singleElement().satisfies((sample) -> {
			assertThat(sample.labels()).isEmpty();
			assertThat(sample.value()).isEqualTo(14.0);
		});
		assertThat(prometheus.query("up{job=\"" + prometheus.job() + "\"}")).singleElement()
			.satisfies((sample) -> assertThat(sample.value()).isEqualTo(1.0));
		assertThat(prometheus.query("gateway_no_such_metric")).isEmpty();
	}

	@Test
	void queryReportsWhatPrometheusRejected() {
		assertThatIllegalStateException().isThrownBy(() -> prometheus.query("sum(rate(gateway_bytes_sent_total))"))
			.withMessageContaining("bad_data")
			.withMessageContaining("range vector");
		assertThatIllegalStateException().isThrownBy(() -> prometheus.query("gateway_bytes_sent_total[1m]"))
			.withMessageContaining("matrix");
	}

	@Test
	void startFailsFastWithPrometheusOwnLog(@TempDir Path directory) throws Exception {
		Path broken = Files.writeString(directory.resolve("broken.yml"), "groups: [{name: x, rules: [{record: 1}]}]");
		assertThatIllegalStateException()
			.isThrownBy(() -> PrometheusServer.builder(exposition.target()).ruleFiles(broken).start())
			.withMessageContaining("exited")
			.withMessageContaining("broken.yml");
	}

	@Test
	void refusesTargetsOffThisMachine() {
		assertThatIllegalArgumentException().isThrownBy(() -> PrometheusServer.builder("gateway:8081"))
			.withMessageContaining("loopback");
		assertThatIllegalArgumentException().isThrownBy(() -> PrometheusServer.builder("10.0.0.1:8081"))
			.withMessageContaining("loopback");
		assertThatIllegalArgumentException().isThrownBy(() -> PrometheusServer.builder("127.0.0.1"))
			.withMessageContaining("host:port");
		assertThat(PrometheusServer.builder("[::1]:8081")).isNotNull();
		assertThat(PrometheusServer.builder("localhost:8081")).isNotNull();
	}

}
