package dev.socketgateway.tcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

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
import dev.socketgateway.support.TcpPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pooled connections that sit idle are closed and their pool removed; a pooled connection
 * the peer closed while idle is never used for the next exchange.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"gateway.pool.idle-timeout=400ms", "gateway.pool.eviction-interval=100ms" })
class PoolEvictionTests {

	static TcpPeer echo;

	static TcpPeer oneShot;

	static final AtomicInteger closedByGateway = new AtomicInteger();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) throws IOException {
		echo = TcpPeer.start((socket, in, out) -> {
			byte[] buffer = new byte[1024];
			int n;
			while ((n = in.read(buffer)) >= 0) {
				out.write(buffer, 0, n);
				out.flush();
			}
			closedByGateway.incrementAndGet();
		});
		// Answers one line, then closes: the pooled connection goes stale while idle.
		oneShot = TcpPeer.start((socket, in, out) -> {
			in.read(new byte[1024]);
			out.write("once\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
		});
		registry.add("gateway.policy.allow[0]", () -> "127.0.0.1/32:" + echo.port());
		registry.add("gateway.policy.allow[1]", () -> "127.0.0.1/32:" + oneShot.port());
	}

	@AfterAll
	static void close() throws IOException {
		echo.close();
		oneShot.close();
	}

	@Test
	void idleConnectionsAreClosedAndTheNextExchangeConnectsAgain() {
		Http http = new Http(this.port);
		Map<String, Object> request = Map.of("host", "127.0.0.1", "port", echo.port(), "payload", "hi");
		assertThat(http.postJson("/api/v1/tcp/exchange", request).status()).isEqualTo(200);
		assertThat(echo.accepts()).isEqualTo(1);
		// The peer sees EOF when the gateway closes the idle connection.
		await().until(() -> closedByGateway.get() == 1);
		await().until(() -> new Http(this.managementPort).get("/actuator/health")
			.json()
			.path("components")
			.path("upstreamPools")
			.path("details")
			.path("pools")
			.asInt() == 0);
		Response again = http.postJson("/api/v1/tcp/exchange", request);
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json().path("reply").path("payload").asString()).isEqualTo("hi");
		assertThat(echo.accepts()).isEqualTo(2);
	}

	@Test
	void connectionThePeerClosedWhileIdleIsNotReused() {
		Http http = new Http(this.port);
		Map<String, Object> request = Map.of("host", "127.0.0.1", "port", oneShot.port(), "payload", "x");
		for (int i = 1; i <= 3; i++) {
			int attempt = i;
			Response response = http.postJson("/api/v1/tcp/exchange", request);
			assertThat(response.status()).as(response.toString()).isEqualTo(200);
			assertThat(response.json().path("reply").path("payload").asString()).isEqualTo("once");
			assertThat(oneShot.accepts()).isEqualTo(attempt);
			// wait for the gateway to notice the close, as any idle gap would give it
			// time to
			await().until(() -> new Http(this.managementPort).get("/actuator/prometheus")
				.text()
				.contains(
						"gateway_connections_active{application=\"socket-gateway\",direction=\"outbound\",protocol=\"tcp\"} 0.0"));
		}
	}

}
