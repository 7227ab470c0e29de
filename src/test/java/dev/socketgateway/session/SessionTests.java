package dev.socketgateway.session;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.socketgateway.GatewayProperties;

import dev.socketgateway.support.GatewayEndToEndTests;
import dev.socketgateway.support.SharedPeers;
import dev.socketgateway.support.HeldPeer;
import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.SseReader;
import dev.socketgateway.support.TcpPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Persistent TCP connections end to end over real sockets on 127.0.0.1.
 */
class SessionTests extends GatewayEndToEndTests {

	static final TcpPeer echo = SharedPeers.tcpEcho();

	static final HeldPeer held = SharedPeers.held();

	static final int refusedPort = SharedPeers.refusedTcpPort();

	@Autowired
	GatewayProperties properties;

	String open(int peerPort, Map<String, Object> extra) {
		Map<String, Object> body = new java.util.HashMap<>(Map.of("host", "127.0.0.1", "port", peerPort));
		body.putAll(extra);
		Response response = this.http.postJson("/api/v1/tcp/connections", body);
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		String id = response.json().path("id").asString();
		assertThat(response.header("Location")).endsWith("/api/v1/tcp/connections/" + id);
		return id;
	}

	JsonNode session(String id) {
		return this.http.get("/api/v1/tcp/connections/" + id).json();
	}

	static void write(Socket socket, String text) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write(text.getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	@Test
	void opensSendsAwaitsAReplyAndCountsWireBytes() {
		String id = open(echo.port(), Map.of());
		JsonNode opened = session(id);
		assertThat(opened.path("state").asString()).isEqualTo("open");
		assertThat(opened.path("remote").asString()).isEqualTo("127.0.0.1:" + echo.port());
		assertThat(opened.path("local").asString()).startsWith("127.0.0.1:");
		assertThat(opened.path("framing").asString()).isEqualTo("crlf");
		assertThat(opened.path("openedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

		Response sent = this.http.postJson("/api/v1/tcp/connections/" + id + "/messages",
				Map.of("payload", "hello", "awaitReply", true));
		assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
		assertThat(sent.json().path("seq").asLong()).isEqualTo(1);
		assertThat(sent.json().path("reply").path("seq").asLong()).isEqualTo(1);
		assertThat(sent.json().path("reply").path("payload").asString()).isEqualTo("hello");
		assertThat(sent.json().path("reply").path("encoding").asString()).isEqualTo("utf8");

		Response noWait = this.http.postJson("/api/v1/tcp/connections/" + id + "/messages",
				Map.of("payload", "6869", "encoding", "hex"));
		assertThat(noWait.status()).isEqualTo(202);
		assertThat(noWait.json().path("seq").asLong()).isEqualTo(2);
		await().until(() -> session(id).path("messagesReceived").asLong() == 2);

		JsonNode page = this.http.get("/api/v1/tcp/connections/" + id + "/messages?after=0").json();
		assertThat(page.path("messages")).hasSize(2);
		assertThat(page.path("messages").get(1).path("payload").asString()).isEqualTo("hi");
		assertThat(page.path("next").asLong()).isEqualTo(2);
		assertThat(page.path("dropped").asLong()).isZero();
		JsonNode hex = this.http.get("/api/v1/tcp/connections/" + id + "/messages?after=1&encoding=hex").json();
		assertThat(hex.path("messages")).hasSize(1);
		assertThat(hex.path("messages").get(0).path("payload").asString()).isEqualTo("6869");
		assertThat(hex.path("messages").get(0).path("seq").asLong()).isEqualTo(2);

		JsonNode stats = session(id);
		assertThat(stats.path("bytesSent").asLong()).isEqualTo(11);
		assertThat(stats.path("bytesReceived").asLong()).isEqualTo(11);
		assertThat(stats.path("messagesSent").asLong()).isEqualTo(2);

		assertThat(this.http.delete("/api/v1/tcp/connections/" + id).status()).isEqualTo(204);
		JsonNode closed = session(id);
		assertThat(closed.path("state").asString()).isEqualTo("closed");
		assertThat(closed.path("closedReason").asString()).isEqualTo("deleted");
		assertThat(this.http.get("/api/v1/tcp/connections/" + id + "/messages").json().path("messages")).hasSize(2);
		Response onClosed = this.http.postJson("/api/v1/tcp/connections/" + id + "/messages", Map.of("payload", "x"));
		assertThat(onClosed.status()).isEqualTo(409);
		assertThat(onClosed.json().path("code").asString()).isEqualTo("CONNECTION_CLOSED");
	}

	@Test
	void openFailuresAreProblems() {
		Response refused = this.http.postJson("/api/v1/tcp/connections",
				Map.of("host", "127.0.0.1", "port", refusedPort));
		assertThat(refused.status()).isEqualTo(502);
		assertThat(refused.json().path("code").asString()).isEqualTo("CONNECTION_REFUSED");
		Response forbidden = this.http.postJson("/api/v1/tcp/connections", Map.of("host", "127.0.0.1", "port", 1));
		assertThat(forbidden.status()).isEqualTo(403);
		assertThat(forbidden.json().path("code").asString()).isEqualTo("TARGET_FORBIDDEN");
		Response unknownField = this.http.postJson("/api/v1/tcp/connections",
				Map.of("host", "127.0.0.1", "port", echo.port(), "bogus", 1));
		assertThat(unknownField.status()).isEqualTo(400);
		Response tls = this.http.postJson("/api/v1/tcp/connections",
				Map.of("host", "127.0.0.1", "port", echo.port(), "tls", true));
		// TLS against a plain-text echo: the handshake fails at open, not at the first
		// send.
		assertThat(tls.status()).as(tls.toString()).isEqualTo(502);
		assertThat(tls.json().path("code").asString()).isEqualTo("TLS_HANDSHAKE_FAILED");
	}

	@Test
	void unknownIdIs404() {
		Response response = this.http.get("/api/v1/tcp/connections/nope");
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.json().path("code").asString()).isEqualTo("CONNECTION_NOT_FOUND");
	}

	@Test
	void concurrentSendsKeepTheirOrderOnTheWire() throws Exception {
		String id = open(echo.port(), Map.of("framing", "lf"));
		Map<Long, String> bySeq = new ConcurrentHashMap<>();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				int thread = t;
				futures.add(pool.submit(() -> {
					for (int i = 0; i < 25; i++) {
						String payload = "t" + thread + "-m" + i;
						Response response = this.http.postJson("/api/v1/tcp/connections/" + id + "/messages",
								Map.of("payload", payload));
						assertThat(response.status()).isEqualTo(202);
						bySeq.put(response.json().path("seq").asLong(), payload);
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(bySeq).hasSize(200);
		assertThat(bySeq.keySet())
			.containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.rangeClosed(1, 200).boxed().toList());
		await().until(() -> session(id).path("messagesReceived").asLong() == 200);
		JsonNode page = this.http.get("/api/v1/tcp/connections/" + id + "/messages?after=0&max=1000").json();
		List<String> received = new ArrayList<>();
		page.path("messages").forEach((m) -> received.add(m.path("payload").asString()));
		assertThat(received).containsExactlyElementsOf(new TreeMap<>(bySeq).values());
		this.http.delete("/api/v1/tcp/connections/" + id);
	}

	@Test
	void concurrentAwaitReplyCallersEachGetTheirOwnReply() throws Exception {
		String id = open(echo.port(), Map.of());
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			List<Future<String[]>> futures = new ArrayList<>();
			for (int t = 0; t < 16; t++) {
				int thread = t;
				futures.add(pool.submit(() -> {
					String payload = "unique-" + thread + "-" + System.nanoTime();
					Response response = this.http.postJson("/api/v1/tcp/connections/" + id + "/messages",
							Map.of("payload", payload, "awaitReply", true, "replyTimeoutMs", 20000));
					return new String[] { payload, response.toString(),
							response.json().path("reply").path("payload").asString() };
				}));
			}
			for (Future<String[]> future : futures) {
				String[] result = future.get(60, TimeUnit.SECONDS);
				assertThat(result[2]).as(result[1]).isEqualTo(result[0]);
			}
		}
		finally {
			pool.shutdownNow();
		}
		this.http.delete("/api/v1/tcp/connections/" + id);
	}

	@Test
	void replyTimeoutIs504AndTheSessionStaysOpen() throws Exception {
		String id = open(held.port(), Map.of());
		Socket socket = held.next();
		Response response = this.http.postJson("/api/v1/tcp/connections/" + id + "/messages",
				Map.of("payload", "ping", "awaitReply", true, "replyTimeoutMs", 200));
		assertThat(response.status()).isEqualTo(504);
		assertThat(response.json().path("code").asString()).isEqualTo("REPLY_TIMEOUT");
		assertThat(session(id).path("state").asString()).isEqualTo("open");
		write(socket, "late\r\n");
		await().until(() -> session(id).path("messagesReceived").asLong() == 1);
		this.http.delete("/api/v1/tcp/connections/" + id);
	}

	@Test
	void longPollReturnsWhenAMessageArrivesAndEmptyAfterWaitMs() throws Exception {
		String id = open(held.port(), Map.of());
		Socket socket = held.next();
		long start = System.nanoTime();
		Response empty = this.http.get("/api/v1/tcp/connections/" + id + "/messages?after=0&waitMs=300");
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(290);
		assertThat(empty.json().path("messages")).isEmpty();
		assertThat(empty.json().path("next").asLong()).isZero();

		CompletableFuture<Response> poll = CompletableFuture
			.supplyAsync(() -> this.http.get("/api/v1/tcp/connections/" + id + "/messages?after=0&waitMs=30000"));
		write(socket, "news\r\n");
		Response arrived = poll.get(10, TimeUnit.SECONDS);
		assertThat(arrived.json().path("messages").get(0).path("payload").asString()).isEqualTo("news");
		assertThat(arrived.json().path("next").asLong()).isEqualTo(1);

		CompletableFuture<Response> pending = CompletableFuture
			.supplyAsync(() -> this.http.get("/api/v1/tcp/connections/" + id + "/messages?after=1&waitMs=30000"));
		this.http.delete("/api/v1/tcp/connections/" + id);
		assertThat(pending.get(10, TimeUnit.SECONDS).json().path("messages")).isEmpty();
	}

	@Test
	void streamOfAnIdleSessionAnswersAtOnce() throws Exception {
		// No message yet, so no event: the response's headers must still leave at once,
		// not with the first message or the keep-alive comment 15 s later.
		String id = open(held.port(), Map.of());
		Socket socket = held.next();
		try (SseReader stream = CompletableFuture.supplyAsync(() -> {
			try {
				return new SseReader(this.port, "/api/v1/tcp/connections/" + id + "/messages/stream", Map.of());
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}).get(5, TimeUnit.SECONDS)) {
			assertThat(stream.status()).isEqualTo(200);
			write(socket, "late\r\n");
			assertThat(stream.next(10).data()).contains("\"payload\":\"late\"");
		}
	}

	@Test
	void streamDeliversMessagesResumesAndEndsWithClosed() throws Exception {
		String id = open(held.port(), Map.of());
		Socket socket = held.next();
		write(socket, "one\r\n");
		await().until(() -> session(id).path("messagesReceived").asLong() == 1);
		try (SseReader stream = new SseReader(this.port, "/api/v1/tcp/connections/" + id + "/messages/stream?after=0",
				Map.of())) {
			assertThat(stream.status()).isEqualTo(200);
			SseReader.Event first = stream.next(10);
			assertThat(first.name()).isEqualTo("message");
			assertThat(first.id()).isEqualTo("1");
			assertThat(first.data()).contains("\"payload\":\"one\"").contains("\"seq\":1");
			write(socket, "two\r\n");
			SseReader.Event second = stream.next(10);
			assertThat(second.id()).isEqualTo("2");
			assertThat(second.data()).contains("\"payload\":\"two\"");
			try (SseReader resumed = new SseReader(this.port, "/api/v1/tcp/connections/" + id + "/messages/stream",
					Map.of("Last-Event-ID", "1"))) {
				assertThat(resumed.next(10).id()).isEqualTo("2");
				socket.close();
				assertThat(stream.next(10).name()).isEqualTo("closed");
				assertThat(resumed.next(10).name()).isEqualTo("closed");
			}
		}
		assertThat(session(id).path("closedReason").asString()).isEqualTo("peer-closed");
	}

	@Test
	void peerResetIsReported() throws Exception {
		String id = open(held.port(), Map.of());
		Socket socket = held.next();
		socket.setSoLinger(true, 0);
		socket.close();
		await().until(() -> session(id).path("state").asString().equals("closed"));
		assertThat(session(id).path("closedReason").asString()).isEqualTo("reset");
	}

	@Test
	void idleSessionsClose() throws Exception {
		String id = open(held.port(), Map.of("idleTimeoutMs", 200));
		held.next();
		await().atMost(java.time.Duration.ofSeconds(5))
			.until(() -> session(id).path("state").asString().equals("closed"));
		assertThat(session(id).path("closedReason").asString()).isEqualTo("idle-timeout");
	}

	@Test
	void oversizeFrameClosesWithFrameTooLarge() throws Exception {
		String id = open(held.port(), Map.of("framing", "length4"));
		Socket socket = held.next();
		socket.getOutputStream().write(new byte[] { 0x7f, 0, 0, 0 });
		socket.getOutputStream().flush();
		await().until(() -> session(id).path("state").asString().equals("closed"));
		assertThat(session(id).path("closedReason").asString()).isEqualTo("frame-too-large");
	}

	List<String> payloads(String id, long after, long waitMs) {
		return this.http.payloads("/api/v1/tcp/connections/" + id + "/messages?after=" + after + "&waitMs=" + waitMs);
	}

	@Test
	void rawJoinsWhatArrivesUntilQuietAndEndsItOnClose() throws Exception {
		String id = open(held.port(), Map.of("framing", "raw", "idleMs", 60_000));
		Socket socket = held.next();
		write(socket, "hel");
		// not a message yet: the quiet time has not passed
		assertThat(payloads(id, 0, 300)).isEmpty();
		write(socket, "lo");
		socket.close();
		await().until(() -> session(id).path("state").asString().equals("closed"));
		// the close ended the message, before the session read as closed
		assertThat(payloads(id, 0, 0)).containsExactly("hello");
		assertThat(session(id).path("messagesReceived").asLong()).isEqualTo(1);
	}

	@Test
	void rawQuietSeparatesMessages() throws Exception {
		String id = open(held.port(), Map.of("framing", "raw"));
		Socket socket = held.next();
		assertThat(session(id).path("idleMs").asInt()).isEqualTo(50);
		write(socket, "a");
		assertThat(payloads(id, 0, 10_000)).containsExactly("a");
		write(socket, "b");
		assertThat(payloads(id, 1, 10_000)).containsExactly("b");
		this.http.delete("/api/v1/tcp/connections/" + id);
	}

	@Test
	void rawMessagesEndAtMaxFrameBytesAndTheRestFollows() throws Exception {
		int limit = this.properties.limits().frameLimit();
		String id = open(held.port(), Map.of("framing", "raw", "idleMs", 60_000));
		Socket socket = held.next();
		write(socket, "x".repeat(limit) + "end");
		// the first message goes at the limit, without waiting for quiet
		List<String> first = payloads(id, 0, 10_000);
		assertThat(first).hasSize(1);
		assertThat(first.get(0)).hasSize(limit).matches("x+");
		socket.close();
		await().until(() -> session(id).path("state").asString().equals("closed"));
		assertThat(payloads(id, 1, 0)).containsExactly("end");
	}

	@Test
	void rawMessageOfAPeerThatClosesRightAfterSendingIsThereWhenTheSessionReadsClosed() throws Exception {
		String id = open(held.port(), Map.of("framing", "raw", "idleMs", 60_000));
		Socket socket = held.next();
		write(socket, "bye");
		socket.close();
		await().until(() -> session(id).path("state").asString().equals("closed"));
		assertThat(session(id).path("closedReason").asString()).isEqualTo("peer-closed");
		assertThat(payloads(id, 0, 0)).containsExactly("bye");
	}

	@Test
	void idleMsOutOfRangeIsAProblemNamingIt() {
		for (int idleMs : new int[] { 0, 60_001 }) {
			Response response = this.http.postJson("/api/v1/tcp/connections",
					Map.of("host", "127.0.0.1", "port", held.port(), "framing", "raw", "idleMs", idleMs));
			assertThat(response.status()).as(response.toString()).isEqualTo(400);
			assertThat(response.json().path("code").asString()).isEqualTo("VALIDATION_FAILED");
			assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("idleMs");
		}
		// other framings accept it and do not use it
		String id = open(held.port(), Map.of("framing", "crlf", "idleMs", 100));
		assertThat(session(id).path("idleMs").isNull()).isTrue();
		this.http.delete("/api/v1/tcp/connections/" + id);
	}

	@Test
	void listsInOpeningOrderWithACursor() {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ids.add(open(echo.port(), Map.of()));
		}
		this.http.delete("/api/v1/tcp/connections/" + ids.get(1));
		List<String> seen = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = this.http
				.get("/api/v1/tcp/connections?limit=2" + ((cursor != null) ? "&cursor=" + cursor : ""))
				.json();
			page.path("connections").forEach((c) -> seen.add(c.path("id").asString()));
			cursor = page.path("next").isNull() ? null : page.path("next").asString();
		}
		while (cursor != null);
		assertThat(seen).containsSubsequence(ids);
		List<String> open = new ArrayList<>();
		this.http.get("/api/v1/tcp/connections?state=open&limit=1000")
			.json()
			.path("connections")
			.forEach((c) -> open.add(c.path("id").asString()));
		assertThat(open).contains(ids.get(0), ids.get(2)).doesNotContain(ids.get(1));
		ids.forEach((id) -> this.http.delete("/api/v1/tcp/connections/" + id));
	}

	@Test
	void threeHundredSessionsCostFewThreads() throws Exception {
		String warm = open(held.port(), Map.of());
		held.next();
		int before = ManagementFactory.getThreadMXBean().getThreadCount();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			ids.add(open(held.port(), Map.of()));
			held.next();
		}
		int after = ManagementFactory.getThreadMXBean().getThreadCount();
		org.slf4j.LoggerFactory.getLogger(SessionTests.class)
			.info("300 sessions: live threads before {}, after {}", before, after);
		assertThat(after - before).as("threads before %d, after %d", before, after).isLessThan(50);
		ids.add(warm);
		ids.forEach((id) -> this.http.delete("/api/v1/tcp/connections/" + id));
	}

}
