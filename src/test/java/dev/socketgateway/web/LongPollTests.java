package dev.socketgateway.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.TcpPeer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long-polls hold no request thread while they wait: 250 of them on a server with 20
 * request threads (on JDK 17 a bounded Tomcat pool; virtual threads on 21+) leave an
 * exchange answering at once, and one message releases them all.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "server.tomcat.threads.max=20" })
class LongPollTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static final int POLLS = 250;

	static TcpPeer echo;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) throws IOException {
		echo = TcpPeer.echo();
		registry.add("gateway.policy.allow[0]", () -> "127.0.0.1/32:" + echo.port());
	}

	@AfterAll
	static void close() throws IOException {
		echo.close();
	}

	@Test
	void waitingLongPollsLeaveTheApiServing() throws Exception {
		Http http = new Http(this.port);
		JsonNode listener = http.postJson("/api/v1/listeners", Map.of("protocol", "tcp")).json();
		String id = listener.path("id").asString();
		// warm: the first exchange to a target builds its pool, the first poll its path
		assertThat(http
			.postJson("/api/v1/tcp/exchange", Map.of("host", "127.0.0.1", "port", echo.port(), "payload", "warm"))
			.status()).isEqualTo(200);
		assertThat(http.get("/api/v1/listeners/" + id + "/messages?waitMs=0").status()).isEqualTo(200);
		List<Socket> polls = new ArrayList<>();
		try {
			for (int i = 0; i < POLLS; i++) {
				Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port);
				socket.setSoTimeout(30_000);
				polls.add(socket);
				OutputStream out = socket.getOutputStream();
				out.write(("GET /api/v1/listeners/" + id + "/messages?waitMs=20000 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
						+ "Connection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
			// the first exchange may queue behind the polls' own start (a shared 2-core
			// box);
			// a blocked pool would hold all 20 threads for 20 s instead
			Http.Response first = http.postJson("/api/v1/tcp/exchange",
					Map.of("host", "127.0.0.1", "port", echo.port(), "payload", "first"));
			assertThat(first.status()).as(first.toString()).isEqualTo(200);
			for (int i = 0; i < 3; i++) {
				long start = System.nanoTime();
				Http.Response exchange = http.postJson("/api/v1/tcp/exchange",
						Map.of("host", "127.0.0.1", "port", echo.port(), "payload", "ping " + i));
				long tookMs = (System.nanoTime() - start) / 1_000_000;
				assertThat(exchange.status()).as(exchange.toString()).isEqualTo(200);
				assertThat(exchange.json().path("reply").path("payload").asString()).isEqualTo("ping " + i);
				// held threads would make it wait for the polls' 20 s; half of that tells
				// the two
				// apart on a loaded machine
				assertThat(tookMs).as("exchange while %d long-polls wait", POLLS).isLessThan(10_000);
			}
			// one message releases every waiting poll with it
			try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.path("port").asInt())) {
				client.getOutputStream().write("hello\r\n".getBytes(StandardCharsets.US_ASCII));
				client.getOutputStream().flush();
				long start = System.nanoTime();
				for (Socket poll : polls) {
					ByteArrayOutputStream all = new ByteArrayOutputStream();
					poll.getInputStream().transferTo(all);
					StrictInputTests.RawResponse response = StrictInputTests.RawResponse
						.parse(all.toString(StandardCharsets.UTF_8));
					assertThat(response.status()).as(response.toString()).isEqualTo(200);
					JsonNode page = JSON.readTree(response.body());
					assertThat(page.path("messages").get(0).path("payload").asString()).isEqualTo("hello");
					assertThat(page.path("next").asLong()).isEqualTo(1);
				}
				assertThat((System.nanoTime() - start) / 1_000_000).as("released by the message, not the timeout")
					.isLessThan(10_000);
			}
		}
		finally {
			for (Socket poll : polls) {
				poll.close();
			}
			http.delete("/api/v1/listeners/" + id);
		}
	}

	@Test
	void aLongPollThatTimesOutAnswersTheEmptyPage() {
		Http http = new Http(this.port);
		String id = http.postJson("/api/v1/listeners", Map.of("protocol", "tcp")).json().path("id").asString();
		try {
			long start = System.nanoTime();
			Http.Response page = http.get("/api/v1/listeners/" + id + "/messages?after=0&waitMs=300");
			long tookMs = (System.nanoTime() - start) / 1_000_000;
			assertThat(page.status()).isEqualTo(200);
			assertThat(page.json().path("messages").isEmpty()).isTrue();
			assertThat(page.json().path("next").asLong()).isZero();
			assertThat(tookMs).isBetween(250L, 5000L);
		}
		finally {
			http.delete("/api/v1/listeners/" + id);
		}
	}

}
