package dev.socketgateway.listener;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listener limits with small settings: listener count, clients per listener, buffer and
 * retention.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "gateway.limits.max-listeners=2",
				"gateway.limits.max-listener-clients=2", "gateway.limits.max-buffered-messages=3",
				"gateway.limits.closed-retention=1s" })
class ListenerLimitsTests {

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

	String create() {
		Response response = this.http.postJson("/api/v1/listeners", Map.of("protocol", "tcp", "port", 0));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return response.json().path("id").asString();
	}

	@Test
	void tooManyListenersIs429() {
		String a = create();
		String b = create();
		Response refused = this.http.postJson("/api/v1/listeners", Map.of("protocol", "udp", "port", 0));
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.json().path("code").asString()).isEqualTo("LIMIT_EXCEEDED");
		assertThat(refused.header("Retry-After")).isEqualTo("1");
		this.http.delete("/api/v1/listeners/" + a);
		this.http.delete("/api/v1/listeners/" + b);
	}

	@Test
	void extraClientsAreRefusedAndTheBufferKeepsTheNewest() throws Exception {
		String id = create();
		int bound = this.http.get("/api/v1/listeners/" + id).json().path("port").asInt();
		List<Socket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				sockets.add(new Socket(InetAddress.getLoopbackAddress(), bound));
			}
			await().until(() -> this.http.get("/api/v1/listeners/" + id).json().path("clients").asInt() == 2);
			Socket extra = new Socket(InetAddress.getLoopbackAddress(), bound);
			sockets.add(extra);
			extra.setSoTimeout(10_000);
			assertThat(extra.getInputStream().read()).isEqualTo(-1);
			sockets.get(0).getOutputStream().write("a\r\nb\r\nc\r\nd\r\ne\r\n".getBytes(StandardCharsets.US_ASCII));
			await().until(() -> this.http.get("/api/v1/listeners/" + id + "/messages?after=0")
				.json()
				.path("next")
				.asLong() == 5);
			JsonNode page = this.http.get("/api/v1/listeners/" + id + "/messages?after=0").json();
			assertThat(page.path("dropped").asLong()).isEqualTo(2);
			assertThat(page.path("messages").get(0).path("payload").asString()).isEqualTo("c");
		}
		finally {
			for (Socket socket : sockets) {
				socket.close();
			}
		}
		this.http.delete("/api/v1/listeners/" + id);
	}

	@Test
	void deletedListenersAreForgottenAfterRetention() throws IOException {
		String id = create();
		this.http.delete("/api/v1/listeners/" + id);
		assertThat(this.http.get("/api/v1/listeners/" + id).json().path("state").asString()).isEqualTo("closed");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.http.get("/api/v1/listeners/" + id).status() == 404);
		assertThat(this.http.get("/api/v1/listeners/" + id).json().path("code").asString())
			.isEqualTo("LISTENER_NOT_FOUND");
	}

}
