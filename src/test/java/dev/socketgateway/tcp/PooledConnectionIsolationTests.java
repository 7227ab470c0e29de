package dev.socketgateway.tcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.RequiredBinary;
import dev.socketgateway.support.TcpPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pooled connection never carries one exchange's bytes into the next (the one-shot
 * exchange contract in DESIGN.md): against a real Redis, a peer that finishes its reply
 * late, two callers with their own API keys, and {@code pool: false}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ExtendWith(OutputCaptureExtension.class)
class PooledConnectionIsolationTests {

	static final String ALICE = "alice-key-0123456789";

	static final String BOB = "bob-key-0123456789abc";

	static final int BIG = 600 * 1024;

	static Process redis;

	static int redisPort;

	static TcpPeer lateTail;

	static final CountDownLatch firstReturned = new CountDownLatch(1);

	static final CountDownLatch tailWritten = new CountDownLatch(1);

	static TcpPeer echo;

	static final AtomicInteger echoClosed = new AtomicInteger();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) throws IOException {
		Path server = RequiredBinary.find("redis-server");
		redisPort = freePort();
		redis = new ProcessBuilder(server.toString(), "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> "+PONG".equals(redis("PING")));
		AtomicInteger connections = new AtomicInteger();
		// Like an SMTP server's multi-line greeting: the rest of the reply comes after a
		// pause, here once the test's first exchange has returned.
		lateTail = TcpPeer.start((socket, in, out) -> {
			BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
			if (connections.incrementAndGet() == 1) {
				lines.readLine();
				write(out, "250-first\r\n");
				awaitLatch(firstReturned);
				write(out, "250 last\r\n");
				tailWritten.countDown();
			}
			while (lines.readLine() != null) {
				write(out, "250 fresh\r\n");
			}
		});
		echo = TcpPeer.start((socket, in, out) -> {
			in.transferTo(out);
			echoClosed.incrementAndGet();
		});
		registry.add("gateway.security.api-keys[0]", () -> "alice:" + ALICE);
		registry.add("gateway.security.api-keys[1]", () -> "bob:" + BOB);
		registry.add("gateway.policy.allow[0]", () -> "127.0.0.1/32:" + redisPort);
		registry.add("gateway.policy.allow[1]", () -> "127.0.0.1/32:" + lateTail.port());
		registry.add("gateway.policy.allow[2]", () -> "127.0.0.1/32:" + echo.port());
		registry.add("gateway.targets.unpooled.host", () -> "127.0.0.1");
		registry.add("gateway.targets.unpooled.port", () -> echo.port());
		registry.add("gateway.targets.unpooled.pool", () -> "false");
	}

	@AfterAll
	static void stop() throws Exception {
		lateTail.close();
		echo.close();
		if (redis != null) {
			redis.destroy();
			redis.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void aPingAfterALargeValueAnswersPongNeverValueBytes() throws IOException {
		byte[] value = new byte[BIG];
		Arrays.fill(value, (byte) 'v');
		setBig(value);
		Http http = new Http(this.port, Map.of("X-API-Key", ALICE));
		for (int i = 0; i < 20; i++) {
			Response get = http.postJson("/api/v1/tcp/exchange",
					Map.of("host", "127.0.0.1", "port", redisPort, "payload", "GET big", "framing", "crlf"));
			assertThat(get.status()).as(get.toString()).isEqualTo(200);
			assertThat(get.json().path("reply").path("payload").asString()).isEqualTo("$" + BIG);
			Response ping = http.postJson("/api/v1/tcp/exchange",
					Map.of("host", "127.0.0.1", "port", redisPort, "payload", "PING", "framing", "crlf"));
			assertThat(ping.status()).as(ping.toString()).isEqualTo(200);
			String pong = ping.json().path("reply").path("payload").asString();
			// cut: 600 KB of value bytes would drown the report
			assertThat(pong.substring(0, Math.min(pong.length(), 40))).as("round " + i).isEqualTo("+PONG");
		}
	}

	@Test
	void aReplyTailThatArrivesLateNeverAnswersTheNextExchange(CapturedOutput output) throws InterruptedException {
		Http http = new Http(this.port, Map.of("X-API-Key", ALICE));
		Map<String, Object> request = Map.of("host", "127.0.0.1", "port", lateTail.port(), "payload", "EHLO me");
		Response first = http.postJson("/api/v1/tcp/exchange", request);
		assertThat(first.json().path("reply").path("payload").asString()).as(first.toString()).isEqualTo("250-first");
		firstReturned.countDown();
		assertThat(tailWritten.await(10, TimeUnit.SECONDS)).isTrue();
		Response second = http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", lateTail.port(), "payload", "NOOP"));
		assertThat(second.status()).as(second.toString()).isEqualTo(200);
		assertThat(second.json().path("reply").path("payload").asString()).isEqualTo("250 fresh");
		assertThat(lateTail.accepts()).isEqualTo(2);
		// not silently discarded: the operator is told what was thrown away
		assertThat(output.getAll()).contains("127.0.0.1:" + lateTail.port())
			.contains("10 bytes arrived after the reply");
	}

	@Test
	void twoCallersNeverShareAConnection() {
		int before = echo.accepts();
		Map<String, Object> request = Map.of("host", "127.0.0.1", "port", echo.port(), "payload", "mine");
		Response alice = new Http(this.port, Map.of("X-API-Key", ALICE)).postJson("/api/v1/tcp/exchange", request);
		Response bob = new Http(this.port, Map.of("X-API-Key", BOB)).postJson("/api/v1/tcp/exchange", request);
		Response aliceAgain = new Http(this.port, Map.of("X-API-Key", ALICE)).postJson("/api/v1/tcp/exchange", request);
		assertThat(alice.status()).as(alice.toString()).isEqualTo(200);
		assertThat(bob.status()).as(bob.toString()).isEqualTo(200);
		assertThat(aliceAgain.status()).as(aliceAgain.toString()).isEqualTo(200);
		// alice's second exchange reuses her connection; bob got one of his own
		assertThat(echo.accepts() - before).isEqualTo(2);
	}

	@Test
	void poolFalseUsesAFreshConnectionClosedAfterwards() {
		Http http = new Http(this.port, Map.of("X-API-Key", ALICE));
		int accepts = echo.accepts();
		int closed = echoClosed.get();
		for (int i = 0; i < 3; i++) {
			Response response = http.postJson("/api/v1/tcp/exchange",
					Map.of("host", "127.0.0.1", "port", echo.port(), "payload", "once", "pool", false));
			assertThat(response.status()).as(response.toString()).isEqualTo(200);
			assertThat(response.json().path("reply").path("payload").asString()).isEqualTo("once");
		}
		Response bytes = http.post("/api/v1/tcp/exchange?host=127.0.0.1&port=" + echo.port() + "&pool=false",
				"application/octet-stream", "raw-once".getBytes(StandardCharsets.US_ASCII), "application/octet-stream");
		assertThat(bytes.status()).as(bytes.toString()).isEqualTo(200);
		assertThat(bytes.text()).isEqualTo("raw-once");
		Response named = http.postJson("/api/v1/tcp/exchange", Map.of("target", "unpooled", "payload", "named"));
		assertThat(named.json().path("reply").path("payload").asString()).as(named.toString()).isEqualTo("named");
		assertThat(echo.accepts() - accepts).isEqualTo(5);
		await().until(() -> echoClosed.get() - closed == 5);
	}

	private static void setBig(byte[] value) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), redisPort), 5000);
			OutputStream out = socket.getOutputStream();
			out.write(
					("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(value);
			out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			assertThat(readLine(socket.getInputStream())).isEqualTo("+OK");
		}
	}

	private static String redis(String inline) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), redisPort), 1000);
			socket.getOutputStream().write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
			return readLine(socket.getInputStream());
		}
	}

	private static String readLine(InputStream in) throws IOException {
		return new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).readLine();
	}

	private static void write(OutputStream out, String text) throws IOException {
		out.write(text.getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	private static void awaitLatch(CountDownLatch latch) throws IOException {
		try {
			if (!latch.await(30, TimeUnit.SECONDS)) {
				throw new IOException("the test never released the peer");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
