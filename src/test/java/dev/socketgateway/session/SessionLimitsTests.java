package dev.socketgateway.session;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.support.HeldPeer;
import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Session limits with small settings: the open-session cap, the receive buffer and the
 * retention of closed sessions.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "gateway.limits.max-connections=3",
				"gateway.limits.max-buffered-messages=5", "gateway.limits.closed-retention=1s" })
class SessionLimitsTests {

	static HeldPeer held;

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	Http http;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) throws IOException {
		held = new HeldPeer();
		registry.add("gateway.policy.allow[0]", () -> "127.0.0.1/32:" + held.port());
	}

	@AfterAll
	static void closePeers() throws IOException {
		held.close();
	}

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

	Socket lastAccepted;

	Response open() throws InterruptedException {
		Response response = this.http.postJson("/api/v1/tcp/connections",
				Map.of("host", "127.0.0.1", "port", held.port()));
		if (response.status() == 201) {
			this.lastAccepted = held.next();
		}
		return response;
	}

	@Test
	void overTheCapIs429WithRetryAfterAndFreesOnClose() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Response response = open();
			assertThat(response.status()).as(response.toString()).isEqualTo(201);
			ids.add(response.json().path("id").asString());
		}
		Response refused = open();
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.json().path("code").asString()).isEqualTo("LIMIT_EXCEEDED");
		assertThat(refused.header("Retry-After")).isEqualTo("1");
		this.http.delete("/api/v1/tcp/connections/" + ids.get(0));
		Response again = open();
		assertThat(again.status()).isEqualTo(201);
		ids.add(again.json().path("id").asString());
		ids.forEach((id) -> this.http.delete("/api/v1/tcp/connections/" + id));
	}

	@Test
	void fullBufferDropsTheOldestCountsThemAndKeepsTheNewest() throws Exception {
		double droppedBefore = this.registry.counter("gateway.buffer.dropped", "kind", "connection").count();
		Response opened = open();
		String id = opened.json().path("id").asString();
		Socket socket = this.lastAccepted;
		StringBuilder lines = new StringBuilder();
		for (int i = 1; i <= 12; i++) {
			lines.append("m").append(i).append("\r\n");
		}
		socket.getOutputStream().write(lines.toString().getBytes(StandardCharsets.US_ASCII));
		socket.getOutputStream().flush();
		await()
			.until(() -> this.http.get("/api/v1/tcp/connections/" + id).json().path("messagesReceived").asLong() == 12);
		JsonNode all = this.http.get("/api/v1/tcp/connections/" + id + "/messages?after=0").json();
		List<String> payloads = new ArrayList<>();
		all.path("messages").forEach((m) -> payloads.add(m.path("payload").asString()));
		assertThat(payloads).containsExactly("m8", "m9", "m10", "m11", "m12");
		assertThat(all.path("messages").get(0).path("seq").asLong()).isEqualTo(8);
		assertThat(all.path("dropped").asLong()).isEqualTo(7);
		assertThat(all.path("next").asLong()).isEqualTo(12);
		JsonNode fromFive = this.http.get("/api/v1/tcp/connections/" + id + "/messages?after=5").json();
		assertThat(fromFive.path("dropped").asLong()).isEqualTo(2);
		assertThat(fromFive.path("messages")).hasSize(5);
		JsonNode fromNine = this.http.get("/api/v1/tcp/connections/" + id + "/messages?after=9").json();
		assertThat(fromNine.path("dropped").asLong()).isZero();
		assertThat(fromNine.path("messages").get(0).path("seq").asLong()).isEqualTo(10);
		assertThat(this.registry.counter("gateway.buffer.dropped", "kind", "connection").count() - droppedBefore)
			.isEqualTo(7);
		this.http.delete("/api/v1/tcp/connections/" + id);
	}

	@Test
	void closedSessionsAreForgottenAfterRetention() throws Exception {
		Response opened = open();
		String id = opened.json().path("id").asString();
		assertThat(this.http.delete("/api/v1/tcp/connections/" + id).status()).isEqualTo(204);
		assertThat(this.http.get("/api/v1/tcp/connections/" + id).json().path("state").asString()).isEqualTo("closed");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.http.get("/api/v1/tcp/connections/" + id).status() == 404);
		assertThat(this.http.get("/api/v1/tcp/connections/" + id).json().path("code").asString())
			.isEqualTo("CONNECTION_NOT_FOUND");
	}

}
