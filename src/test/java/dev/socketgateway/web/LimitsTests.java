package dev.socketgateway.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.TcpPeer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Limits that answer: 413 for payloads and HTTP bodies, 503 with {@code Retry-After} when
 * every in-flight slot is busy, {@code FRAME_TOO_LARGE} for a declared length over the
 * frame limit. Limits are small here so the tests stay fast.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "gateway.limits.max-payload-bytes=1KB",
				"gateway.limits.max-frame-bytes=4KB", "gateway.limits.max-inflight-exchanges=2" })
class LimitsTests {

	/** 4/3 of 1 KiB plus 64 KiB. */
	static final int BODY_CAP = 1024 * 4 / 3 + 64 * 1024;

	static TcpPeer echo;

	static TcpPeer held;

	static TcpPeer hugeLength;

	static final CountDownLatch release = new CountDownLatch(1);

	static final CountDownLatch heldAccepts = new CountDownLatch(2);

	@LocalServerPort
	int port;

	Http http;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) throws IOException {
		echo = TcpPeer.echo();
		held = TcpPeer.start((socket, in, out) -> {
			heldAccepts.countDown();
			try {
				release.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		hugeLength = TcpPeer.start((socket, in, out) -> {
			in.read(new byte[64]);
			// declares 2 GiB, sends 3 bytes, then waits: nothing may be allocated for it
			out.write(new byte[] { 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'a', 'b', 'c' });
			out.flush();
			in.read(new byte[64]);
		});
		int i = 0;
		for (TcpPeer peer : List.of(echo, held, hugeLength)) {
			registry.add("gateway.policy.allow[" + (i++) + "]", () -> "127.0.0.1/32:" + peer.port());
		}
	}

	@AfterAll
	static void close() throws IOException {
		release.countDown();
		echo.close();
		held.close();
		hugeLength.close();
	}

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

	@Test
	void payloadAtTheLimitPassesAndOneByteMoreIs413() {
		Response atLimit = exchange("a".repeat(1024), "utf8");
		assertThat(atLimit.status()).as(atLimit.toString()).isEqualTo(200);
		assertProblem(exchange("a".repeat(1025), "utf8"), 413, "PAYLOAD_TOO_LARGE");
	}

	@Test
	void decodedBytesCountNotCharacters() {
		// 1025 bytes in base64 are 1368 characters; 1024 bytes in hex are 2048 characters
		Response base64 = exchange(Base64.getEncoder().encodeToString(new byte[1025]), "base64");
		assertProblem(base64, 413, "PAYLOAD_TOO_LARGE");
		assertThat(base64.json().path("detail").asString()).contains("1025").contains("max-payload-bytes");
		Response hex = this.http.postJson("/api/v1/tcp/exchange", Map.of("host", "127.0.0.1", "port", echo.port(),
				"payload", "61".repeat(1024), "encoding", "hex", "framing", "length2"));
		assertThat(hex.status()).as(hex.toString()).isEqualTo(200);
	}

	@Test
	void octetStreamBodyOverThePayloadLimitIs413() {
		Response response = this.http.post(
				"/api/v1/tcp/exchange?host=127.0.0.1&port=" + echo.port() + "&framing=length2",
				"application/octet-stream", new byte[1025], null);
		assertProblem(response, 413, "PAYLOAD_TOO_LARGE");
	}

	@Test
	void contentLengthOverTheBodyCapIs413BeforeTheBodyIsSent() throws IOException {
		// Only the headers are sent: an answer proves the body was never waited for.
		String answer = rawHttp("POST /api/v1/tcp/exchange HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				+ "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n", null);
		assertThat(answer).startsWith("HTTP/1.1 413")
			.contains("application/problem+json")
			.contains("\"code\":\"PAYLOAD_TOO_LARGE\"")
			.contains(Integer.toString(BODY_CAP));
	}

	@Test
	void chunkedBodyIsCutOffAs413OnceItPassesTheCap() throws IOException {
		// Sends just over the cap in chunks and never ends the body: the 413 must come
		// while the body is still open, so it was not read whole first.
		byte[] chunk = new byte[8192];
		java.util.Arrays.fill(chunk, (byte) 'a');
		String answer = rawHttp("POST /api/v1/tcp/exchange?host=127.0.0.1&port=" + echo.port() + " HTTP/1.1\r\n"
				+ "Host: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n",
				(out) -> {
					for (int sent = 0; sent <= BODY_CAP; sent += chunk.length) {
						out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
						out.write(chunk);
						out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
					}
					out.flush();
				});
		assertThat(answer).startsWith("HTTP/1.1 413").contains("\"code\":\"PAYLOAD_TOO_LARGE\"");
	}

	@Test
	void busyInflightSlotsAnswer503WithRetryAfter() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/tcp/exchange"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(
					"{\"host\":\"127.0.0.1\",\"port\":" + held.port() + ",\"payload\":\"x\",\"replyTimeoutMs\":30000}"))
			.build();
		CompletableFuture<HttpResponse<String>> first = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
		CompletableFuture<HttpResponse<String>> second = client.sendAsync(request,
				HttpResponse.BodyHandlers.ofString());
		try {
			assertThat(heldAccepts.await(30, TimeUnit.SECONDS)).as("both exchanges reached the peer").isTrue();
			Response third = exchange("hello", "utf8");
			assertProblem(third, 503, "OVERLOADED");
			assertThat(Integer.parseInt(third.header("Retry-After"))).isGreaterThanOrEqualTo(1);
			assertThat(third.json().path("detail").asString()).contains("max-inflight-exchanges");
		}
		finally {
			release.countDown();
		}
		// the held exchanges end (the peer closed) and free their slots
		assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(502);
		assertThat(second.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(502);
		assertThat(exchange("hello", "utf8").status()).isEqualTo(200);
	}

	@Test
	void declaredLengthOverTheFrameLimitIsFrameTooLargeAtOnce() {
		long start = System.nanoTime();
		Response response = this.http.postJson("/api/v1/tcp/exchange", Map.of("host", "127.0.0.1", "port",
				hugeLength.port(), "payload", "x", "framing", "length4", "replyTimeoutMs", 20000));
		assertProblem(response, 502, "FRAME_TOO_LARGE");
		assertThat(response.json().path("detail").asString()).contains("4096");
		assertThat((System.nanoTime() - start) / 1_000_000).as("no wait for the declared bytes").isLessThan(10000);
	}

	private Response exchange(String payload, String encoding) {
		return this.http.postJson("/api/v1/tcp/exchange", Map.of("host", "127.0.0.1", "port", echo.port(), "payload",
				payload, "encoding", encoding, "framing", "length2"));
	}

	private String rawHttp(String head, Body body) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(20000);
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			if (body != null) {
				try {
					body.write(out);
				}
				catch (IOException ex) {
					// the server may close its side once it has answered
				}
			}
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			int n;
			try {
				while ((n = in.read(buffer)) >= 0) {
					answer.write(buffer, 0, n);
					if (answer.toString(StandardCharsets.US_ASCII).contains("}")) {
						break;
					}
				}
			}
			catch (IOException ex) {
				// a reset after the answer
			}
			return answer.toString(StandardCharsets.UTF_8);
		}
	}

	static void assertProblem(Response response, int status, String code) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		JsonNode body = response.json();
		assertThat(body.path("code").asString()).as(response.toString()).isEqualTo(code);
		assertThat(body.path("requestId").asString()).isNotBlank();
	}

	@FunctionalInterface
	interface Body {

		void write(OutputStream out) throws IOException;

	}

}
