package dev.socketgateway.metrics;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.PrometheusText;
import dev.socketgateway.support.TcpPeer;
import dev.socketgateway.support.UdpEchoPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After a scripted set of exchanges, datagrams and failures, the Prometheus scrape shows
 * exactly the wire bytes, messages, connections and failures that happened.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "gateway.pool.idle-timeout=10m" })
class MetricsTests {

	static TcpPeer echo;

	static UdpEchoPeer udp;

	static int refused;

	static ServerSocket taken;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) throws IOException {
		echo = TcpPeer.echo();
		udp = new UdpEchoPeer(true);
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			refused = probe.getLocalPort();
		}
		registry.add("gateway.targets.m-echo.host", () -> "127.0.0.1");
		registry.add("gateway.targets.m-echo.port", echo::port);
		registry.add("gateway.targets.m-udp.host", () -> "127.0.0.1");
		registry.add("gateway.targets.m-udp.port", udp::port);
		registry.add("gateway.targets.m-udp.protocol", () -> "udp");
		registry.add("gateway.policy.allow[0]", () -> "127.0.0.1/32:" + echo.port());
		registry.add("gateway.policy.allow[1]", () -> "127.0.0.1/32:" + refused);
		taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		registry.add("gateway.listeners.allowed-ports[0]", () -> Integer.toString(taken.getLocalPort()));
	}

	@AfterAll
	static void close() throws IOException {
		echo.close();
		udp.close();
		taken.close();
	}

	@Test
	void countersEqualTheTrafficSent() {
		Http http = new Http(this.port);
		for (int i = 0; i < 3; i++) {
			assertThat(http.postJson("/api/v1/tcp/exchange", Map.of("target", "m-echo", "payload", "hello")).status())
				.isEqualTo(200);
		}
		assertThat(http
			.postJson("/api/v1/tcp/exchange",
					Map.of("host", "127.0.0.1", "port", echo.port(), "payload", "abc", "framing", "length2"))
			.status()).isEqualTo(200);
		for (int i = 0; i < 2; i++) {
			assertThat(
					http.postJson("/api/v1/tcp/exchange", Map.of("host", "127.0.0.1", "port", refused, "payload", "x"))
						.status())
				.isEqualTo(502);
		}
		assertThat(
				http.postJson("/api/v1/tcp/exchange", Map.of("host", "127.0.0.2", "port", 1, "payload", "x")).status())
			.isEqualTo(403);
		assertThat(http
			.postJson("/api/v1/udp/datagrams", Map.of("target", "m-udp", "payload", "ping!", "awaitReply", true))
			.status()).isEqualTo(200);
		assertThat(
				http.postJson("/api/v1/udp/datagrams", Map.of("target", "m-udp", "payload", "0102", "encoding", "hex"))
					.status())
			.isEqualTo(202);
		await().until(() -> udp.datagrams() == 2);

		PrometheusText scrape = PrometheusText.parse(new Http(this.managementPort).get("/actuator/prometheus").text());
		// 3 x "hello\r\n" = 21 bytes each way; "abc" with length2 = 5 bytes each way.
		assertThat(scrape.sum("gateway_bytes_sent_total", "protocol", "tcp", "target", "m-echo")).isEqualTo(21);
		assertThat(scrape.sum("gateway_bytes_received_total", "protocol", "tcp", "target", "m-echo")).isEqualTo(21);
		assertThat(scrape.sum("gateway_bytes_sent_total", "protocol", "tcp", "target", "adhoc")).isEqualTo(5);
		assertThat(scrape.sum("gateway_bytes_received_total", "protocol", "tcp", "target", "adhoc")).isEqualTo(5);
		assertThat(scrape.sum("gateway_messages_sent_total", "protocol", "tcp", "target", "m-echo")).isEqualTo(3);
		assertThat(scrape.sum("gateway_messages_received_total", "protocol", "tcp", "target", "m-echo")).isEqualTo(3);
		assertThat(scrape.sum("gateway_connections_opened_total", "protocol", "tcp", "direction", "outbound", "target",
				"m-echo"))
			.isEqualTo(1);
		assertThat(scrape.sum("gateway_connections_active", "protocol", "tcp", "direction", "outbound")).isEqualTo(2);
		assertThat(scrape.sum("gateway_connection_failures_total", "protocol", "tcp", "reason", "refused"))
			.isEqualTo(2);
		assertThat(scrape.sum("gateway_connection_failures_total", "protocol", "tcp", "reason", "forbidden"))
			.isEqualTo(1);
		assertThat(scrape.sum("gateway_exchange_duration_seconds_count", "protocol", "tcp", "outcome", "ok"))
			.isEqualTo(4);
		assertThat(scrape.sum("gateway_exchange_duration_seconds_count", "protocol", "tcp", "outcome", "error"))
			.isEqualTo(2);
		assertThat(scrape.sum("gateway_exchange_duration_seconds_bucket", "protocol", "tcp", "outcome", "ok", "target",
				"m-echo", "le", "+Inf"))
			.isEqualTo(3);
		// UDP: "ping!" out and back (5 + 5), then two bytes fired.
		assertThat(scrape.sum("gateway_bytes_sent_total", "protocol", "udp", "target", "m-udp")).isEqualTo(7);
		assertThat(scrape.sum("gateway_bytes_received_total", "protocol", "udp", "target", "m-udp")).isEqualTo(5);
		assertThat(scrape.sum("gateway_messages_sent_total", "protocol", "udp", "target", "m-udp")).isEqualTo(2);
		assertThat(scrape.sum("gateway_exchange_duration_seconds_count", "protocol", "udp", "outcome", "ok"))
			.isEqualTo(2);
		// Spring Integration's per-send timers of internal channels are not published.
		assertThat(new Http(this.managementPort).get("/actuator/prometheus").text())
			.doesNotContain("spring_integration_");
	}

	@Test
	void noSeriesCarriesAHostOrPortLabel() {
		Http http = new Http(this.port);
		http.postJson("/api/v1/tcp/exchange", Map.of("target", "m-echo", "payload", "x"));
		PrometheusText scrape = PrometheusText.parse(new Http(this.managementPort).get("/actuator/prometheus").text());
		Set<String> forbidden = Set.of("host", "port", "remote", "address");
		scrape.samples().stream().filter((s) -> s.name().startsWith("gateway_")).forEach((sample) -> {
			assertThat(sample.labels().keySet()).doesNotContainAnyElementsOf(forbidden);
			assertThat(sample.labels().values()).noneMatch((v) -> v.contains("127.0.0.1"));
		});
		assertThat(scrape.samples()).anyMatch((s) -> s.name().equals("gateway_exchange_duration_seconds_bucket"));
	}

	@Test
	void healthIsUpWithPoolDetailsOnTheManagementPort() {
		Response health = new Http(this.managementPort).get("/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().path("status").asString()).isEqualTo("UP");
		assertThat(health.json().path("components").path("upstreamPools").path("status").asString()).isEqualTo("UP");
		assertThat(new Http(this.managementPort).get("/livez").status()).isEqualTo(200);
		assertThat(new Http(this.managementPort).get("/readyz").status()).isEqualTo(200);
		Response inUse = new Http(this.port).postJson("/api/v1/listeners",
				Map.of("protocol", "tcp", "port", taken.getLocalPort()));
		assertThat(inUse.status()).isEqualTo(409);
		Response after = new Http(this.managementPort).get("/actuator/health");
		assertThat(after.json().path("components").path("listeners").path("status").asString()).isEqualTo("UP");
		assertThat(after.json()
			.path("components")
			.path("listeners")
			.path("details")
			.path("recentBindFailures")
			.get(0)
			.path("address")
			.asString()).isEqualTo("127.0.0.1:" + taken.getLocalPort());
		Response info = new Http(this.managementPort).get("/actuator/info");
		assertThat(info.json().path("build").path("artifact").asString()).isEqualTo("socket-gateway");
	}

}
