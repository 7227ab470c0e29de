package dev.socketgateway.observability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.observability.GrafanaDashboard.PanelQuery;
import dev.socketgateway.observability.PrometheusServer.Sample;
import dev.socketgateway.support.Http;
import dev.socketgateway.support.TcpPeer;
import dev.socketgateway.support.UdpEchoPeer;

import static org.assertj.core.api.Assertions.assertThat;
import dev.socketgateway.support.RequiredBinary;

/**
 * The real Prometheus binary scrapes a running gateway after known traffic: a PromQL
 * query returns the exact byte count, and every panel query of the Grafana dashboard
 * returns data.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@TestInstance(Lifecycle.PER_CLASS)
class GatewayScrapeTests {

	static TcpPeer echo;

	static TcpPeer probed;

	static UdpEchoPeer udp;

	static int refused;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	PrometheusServer prometheus;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) throws IOException {
		echo = TcpPeer.echo();
		probed = TcpPeer.echo();
		udp = new UdpEchoPeer(true);
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			refused = probe.getLocalPort();
		}
		registry.add("gateway.targets.scrape-echo.host", () -> "127.0.0.1");
		registry.add("gateway.targets.scrape-echo.port", echo::port);
		registry.add("gateway.targets.scrape-udp.host", () -> "127.0.0.1");
		registry.add("gateway.targets.scrape-udp.port", udp::port);
		registry.add("gateway.targets.scrape-udp.protocol", () -> "udp");
		registry.add("gateway.policy.allow[0]", () -> "127.0.0.1/32:" + refused);
		// a scheduled probe, so the dashboard's probe row has series to show
		registry.add("gateway.targets.scrape-probed.host", () -> "127.0.0.1");
		registry.add("gateway.targets.scrape-probed.port", probed::port);
		registry.add("gateway.probes.scrape-probe.target", () -> "scrape-probed");
		registry.add("gateway.probes.scrape-probe.interval", () -> "500ms");
		registry.add("gateway.probes.scrape-probe.steps[0].send", () -> "probe");
		registry.add("gateway.probes.scrape-probe.steps[1].expect", () -> "^probe$");
	}

	@BeforeAll
	void scrape() {
		RequiredBinary.find("prometheus");
		traffic();
		this.prometheus = PrometheusServer.builder("127.0.0.1:" + this.managementPort)
			.metricsPath("/actuator/prometheus")
			.ruleFiles(PrometheusRulesTests.RULES)
			.start();
		this.prometheus.awaitScrapes(2, Duration.ofSeconds(60));
		// More traffic between scrapes, so rate() and histogram_quantile() have something
		// to say.
		traffic();
		this.prometheus.awaitScrapes(4, Duration.ofSeconds(60));
	}

	@AfterAll
	void stop() throws IOException {
		if (this.prometheus != null) {
			this.prometheus.close();
		}
		echo.close();
		probed.close();
		udp.close();
	}

	private void traffic() {
		Http http = new Http(this.port);
		for (int i = 0; i < 5; i++) {
			assertThat(
					http.postJson("/api/v1/tcp/exchange", Map.of("target", "scrape-echo", "payload", "hello")).status())
				.isEqualTo(200);
		}
		assertThat(http.postJson("/api/v1/tcp/exchange", Map.of("host", "127.0.0.1", "port", refused, "payload", "x"))
			.status()).isEqualTo(502);
		assertThat(http
			.postJson("/api/v1/udp/datagrams", Map.of("target", "scrape-udp", "payload", "ping", "awaitReply", true))
			.status()).isEqualTo(200);
	}

	@Test
	void promqlSeesTheExactWireBytes() {
		// Ten exchanges of "hello\r\n" (7 bytes) by the time of the last scrape.
		List<Sample> sent = this.prometheus
			.query("sum(gateway_bytes_sent_total{job=\"socket-gateway\",target=\"scrape-echo\"})");
		assertThat(sent).singleElement().satisfies((sample) -> assertThat(sample.value()).isEqualTo(70));
		List<Sample> refusedCount = this.prometheus
			.query("sum(gateway_connection_failures_total{reason=\"refused\",protocol=\"tcp\"})");
		assertThat(refusedCount).singleElement().satisfies((sample) -> assertThat(sample.value()).isEqualTo(2));
	}

	@TestFactory
	Stream<DynamicTest> everyDashboardPanelQueryReturnsDataFromTheRealGateway() {
		List<PanelQuery> queries = GrafanaDashboard.panelQueries(GrafanaDashboard.SOCKET_GATEWAY);
		assertThat(queries).isNotEmpty();
		return queries.stream().map((query) -> DynamicTest.dynamicTest(query.panelTitle() + " " + query.refId(), () -> {
			List<Sample> samples = this.prometheus.query(query.resolvedExpr());
			assertThat(samples).as("%s%nresolved: %s", query, query.resolvedExpr()).isNotEmpty();
		}));
	}

}
