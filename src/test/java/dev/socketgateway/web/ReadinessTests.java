package dev.socketgateway.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.TcpPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /readyz} goes 503 while the gateway cannot serve (every in-flight slot or every
 * request thread taken) and comes back once they are free.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"server.tomcat.threads.max=6", "gateway.limits.max-inflight-exchanges=3" })
class ReadinessTests {

	static final CountDownLatch releaseExchanges = new CountDownLatch(1);

	static final CountDownLatch releaseSessions = new CountDownLatch(1);

	static final CountDownLatch exchangesArrived = new CountDownLatch(3);

	static TcpPeer exchangePeer;

	static TcpPeer sessionPeer;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	final HttpClient client = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) throws IOException {
		exchangePeer = TcpPeer.start((socket, in, out) -> {
			in.read(new byte[64]);
			exchangesArrived.countDown();
			awaitQuietly(releaseExchanges);
		});
		sessionPeer = TcpPeer.start((socket, in, out) -> {
			in.read(new byte[64]);
			awaitQuietly(releaseSessions);
		});
		registry.add("gateway.policy.allow[0]", () -> "127.0.0.1/32:" + exchangePeer.port());
		registry.add("gateway.policy.allow[1]", () -> "127.0.0.1/32:" + sessionPeer.port());
	}

	@AfterAll
	static void close() throws IOException {
		releaseExchanges.countDown();
		releaseSessions.countDown();
		exchangePeer.close();
		sessionPeer.close();
	}

	@Test
	void notReadyWhileEveryInflightSlotIsTaken() throws Exception {
		Http management = new Http(this.managementPort);
		assertThat(management.get("/readyz").status()).isEqualTo(200);
		List<CompletableFuture<HttpResponse<String>>> exchanges = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			exchanges.add(post("/api/v1/tcp/exchange", "{\"host\":\"127.0.0.1\",\"port\":" + exchangePeer.port()
					+ ",\"payload\":\"x\",\"replyTimeoutMs\":30000}"));
		}
		try {
			assertThat(exchangesArrived.await(30, TimeUnit.SECONDS)).isTrue();
			Http.Response ready = management.get("/readyz");
			assertThat(ready.status()).as(ready.toString()).isEqualTo(503);
			assertThat(ready.text()).contains("max-inflight-exchanges");
			Http.Response live = management.get("/livez");
			assertThat(management.get("/actuator/health").status()).isEqualTo(200);
			assertThat(live.status()).as(live.toString()).isEqualTo(200);
		}
		finally {
			releaseExchanges.countDown();
		}
		for (CompletableFuture<HttpResponse<String>> exchange : exchanges) {
			exchange.get(30, TimeUnit.SECONDS);
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(management.get("/readyz").status()).isEqualTo(200));
	}

	@Test
	void notReadyWhileEveryRequestThreadIsBusy() throws Exception {
		// virtual threads (JDK 21+) have no pool to exhaust
		assumeThat(Runtime.version().feature()).isLessThan(21);
		Http http = new Http(this.port);
		Http management = new Http(this.managementPort);
		List<String> sessions = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			Http.Response opened = http.postJson("/api/v1/tcp/connections",
					java.util.Map.of("host", "127.0.0.1", "port", sessionPeer.port()));
			assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
			sessions.add(opened.json().path("id").asString());
		}
		List<CompletableFuture<HttpResponse<String>>> sends = new ArrayList<>();
		for (String id : sessions) {
			sends.add(post("/api/v1/tcp/connections/" + id + "/messages",
					"{\"payload\":\"x\",\"awaitReply\":true,\"replyTimeoutMs\":30000}"));
		}
		try {
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				Http.Response ready = management.get("/readyz");
				assertThat(ready.status()).as(ready.toString()).isEqualTo(503);
				assertThat(ready.text()).contains("request thread");
			});
		}
		finally {
			releaseSessions.countDown();
		}
		for (CompletableFuture<HttpResponse<String>> send : sends) {
			send.get(40, TimeUnit.SECONDS);
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(management.get("/readyz").status()).isEqualTo(200));
	}

	private CompletableFuture<HttpResponse<String>> post(String path, String json) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		return this.client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
