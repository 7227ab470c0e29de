package dev.socketgateway.listener;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.socketgateway.support.GatewayEndToEndTests;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.RequiredBinary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that send a few lines and close at once: every line they sent is recorded, in
 * order per connection, and nothing is reported dropped.
 */
class ListenerQuickClientsTests extends GatewayEndToEndTests {

	private static final int CLIENTS = 12;

	@Test
	void everyLineOfQuickJavaClientsIsRecordedInOrder() throws Exception {
		String id = createCaptureListener();
		int port = listenerPort(id);
		for (int i = 1; i <= CLIENTS; i++) {
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
				OutputStream out = socket.getOutputStream();
				out.write(("a" + i + "\r\nb" + i + "\r\nc" + i + "\r\n").getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
		}
		assertAllRecorded(id);
	}

	@Test
	void everyLineOfQuickNetcatClientsIsRecordedInOrder() throws Exception {
		Path nc = RequiredBinary.find("nc");
		String id = createCaptureListener();
		int port = listenerPort(id);
		for (int i = 1; i <= CLIENTS; i++) {
			Process process = new ProcessBuilder(nc.toString(), "-q0", "127.0.0.1", Integer.toString(port))
				.redirectErrorStream(true)
				.start();
			try (OutputStream in = process.getOutputStream()) {
				in.write(("a" + i + "\r\nb" + i + "\r\nc" + i + "\r\n").getBytes(StandardCharsets.US_ASCII));
			}
			process.getInputStream().transferTo(OutputStream.nullOutputStream());
			assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("nc exits").isTrue();
		}
		assertAllRecorded(id);
	}

	private String createCaptureListener() {
		Response response = this.http.postJson("/api/v1/listeners", Map.of("protocol", "tcp", "port", 0));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return response.json().path("id").asString();
	}

	private int listenerPort(String id) {
		return this.http.get("/api/v1/listeners/" + id).json().path("port").asInt();
	}

	private void assertAllRecorded(String id) {
		List<JsonNode> messages = new ArrayList<>();
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			messages.clear();
			JsonNode page = this.http.get("/api/v1/listeners/" + id + "/messages?after=0&max=1000").json();
			assertThat(page.path("dropped").asLong()).as("dropped").isZero();
			page.path("messages").forEach(messages::add);
			assertThat(messages).as("messages recorded").hasSize(3 * CLIENTS);
		});
		Map<String, List<String>> byConnection = new LinkedHashMap<>();
		for (JsonNode message : messages) {
			byConnection.computeIfAbsent(message.path("connectionId").asString(), (key) -> new ArrayList<>())
				.add(message.path("payload").asString());
		}
		assertThat(byConnection).hasSize(CLIENTS);
		List<List<String>> expected = new ArrayList<>();
		for (int i = 1; i <= CLIENTS; i++) {
			expected.add(List.of("a" + i, "b" + i, "c" + i));
		}
		assertThat(byConnection.values()).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(this.http.delete("/api/v1/listeners/" + id).status()).isEqualTo(204);
	}

}
