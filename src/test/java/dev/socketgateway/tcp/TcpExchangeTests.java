package dev.socketgateway.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.TcpPeer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end over real sockets on 127.0.0.1: what a curl user sends and sees, and what
 * the peer receives on the wire.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ExtendWith(OutputCaptureExtension.class)
class TcpExchangeTests {

	static TcpPeer echo;

	static TcpPeer greeter;

	static TcpPeer silent;

	static TcpPeer partial;

	static TcpPeer flood;

	static TcpPeer unlisted;

	static TcpPeer closer;

	static TcpPeer pooled;

	static int refusedPort;

	@LocalServerPort
	int port;

	Http http;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) throws IOException {
		echo = TcpPeer.echo();
		greeter = TcpPeer.start((socket, in, out) -> {
			out.write("welcome\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			in.transferTo(out);
		});
		silent = TcpPeer.start((socket, in, out) -> in.transferTo(OutputStreamSink.INSTANCE));
		partial = TcpPeer.start((socket, in, out) -> {
			in.read(new byte[64]);
			out.write("partial".getBytes(StandardCharsets.US_ASCII));
			out.flush();
		});
		flood = TcpPeer.start((socket, in, out) -> {
			in.read(new byte[64]);
			byte[] chunk = new byte[64 * 1024];
			java.util.Arrays.fill(chunk, (byte) 'a');
			for (int i = 0; i < 40; i++) {
				out.write(chunk);
			}
			out.flush();
		});
		closer = TcpPeer.start((socket, in, out) -> {
			in.read(new byte[64]);
			out.write("bye-now".getBytes(StandardCharsets.US_ASCII));
			out.flush();
		});
		unlisted = TcpPeer.echo();
		pooled = TcpPeer.echo();
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			refusedPort = probe.getLocalPort();
		}
		int i = 0;
		for (int allowed : new int[] { echo.port(), greeter.port(), silent.port(), partial.port(), flood.port(),
				closer.port(), pooled.port(), refusedPort }) {
			registry.add("gateway.policy.allow[" + (i++) + "]", () -> "127.0.0.1/32:" + allowed);
		}
		registry.add("gateway.targets.peer-echo.host", () -> "127.0.0.1");
		registry.add("gateway.targets.peer-echo.port", echo::port);
		registry.add("gateway.targets.peer-echo.framing", () -> "lf");
	}

	@AfterAll
	static void closePeers() throws IOException {
		for (TcpPeer peer : new TcpPeer[] { echo, greeter, silent, partial, flood, unlisted, closer, pooled }) {
			peer.close();
		}
	}

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

	static Stream<Arguments> framings() {
		return Stream.of(Arguments.of("crlf", "68656c6c6f0d0a"), Arguments.of("lf", "68656c6c6f0a"),
				Arguments.of("nul", "68656c6c6f00"), Arguments.of("stx-etx", "0268656c6c6f03"),
				Arguments.of("length1", "0568656c6c6f"), Arguments.of("length2", "000568656c6c6f"),
				Arguments.of("length4", "0000000568656c6c6f"));
	}

	@ParameterizedTest
	@MethodSource("framings")
	void everyFramingRoundTripsAndPutsExactBytesOnTheWire(String framing, String wireHex) {
		int before = echo.received().length;
		Response response = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", echo.port(), "payload", "hello", "framing", framing));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.path("reply").path("payload").asString()).isEqualTo("hello");
		assertThat(body.path("reply").path("encoding").asString()).isEqualTo("utf8");
		assertThat(body.path("completedBy").asString())
			.isEqualTo(framing.startsWith("length") ? "length" : "delimiter");
		int wire = wireHex.length() / 2;
		assertThat(body.path("bytesSent").asLong()).isEqualTo(wire);
		assertThat(body.path("bytesReceived").asLong()).isEqualTo(wire);
		assertThat(body.path("remote").asString()).isEqualTo("127.0.0.1:" + echo.port());
		byte[] received = echo.received();
		assertThat(HexFormat.of().formatHex(received, before, received.length)).isEqualTo(wireHex);
	}

	@Test
	void namedTargetUsesItsFramingAndHexRepliesInRequestEncoding() {
		Response response = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("target", "peer-echo", "payload", "0x48 0x49", "encoding", "hex"));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().path("reply").path("payload").asString()).isEqualTo("4849");
		assertThat(response.json().path("bytesSent").asLong()).isEqualTo(3);
	}

	@Test
	void invalidUtf8ReplyComesBackAsBase64() {
		Response response = this.http.postJson("/api/v1/tcp/exchange", Map.of("host", "127.0.0.1", "port", echo.port(),
				"payload", "ff fe", "encoding", "hex", "replyEncoding", "utf8"));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().path("reply").path("encoding").asString()).isEqualTo("base64");
		assertThat(response.json().path("reply").path("payload").asString()).isEqualTo("//4=");
	}

	@Test
	void pooledConnectionIsReusedForManyExchanges() {
		for (int i = 0; i < 20; i++) {
			Response response = this.http.postJson("/api/v1/tcp/exchange",
					Map.of("host", "127.0.0.1", "port", pooled.port(), "payload", "ping-" + i, "framing", "stx-etx"));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.json().path("reply").path("payload").asString()).isEqualTo("ping-" + i);
			if (i > 0) {
				assertThat(response.json().path("connectMs").asLong()).isZero();
			}
		}
		assertThat(pooled.accepts()).isEqualTo(1);
	}

	@Test
	void serverThatSpeaksFirstIsReadWithoutSending() {
		Response response = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", greeter.port()));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().path("reply").path("payload").asString()).isEqualTo("welcome");
		assertThat(response.json().path("bytesSent").asLong()).isZero();
		assertThat(response.json().path("bytesReceived").asLong()).isEqualTo(9);
	}

	@Test
	void silentPeerIsAReplyTimeout() {
		Response response = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", silent.port(), "payload", "anyone?", "replyTimeoutMs", 300));
		assertThat(response.status()).isEqualTo(504);
		assertThat(response.json().path("code").asString()).isEqualTo("REPLY_TIMEOUT");
		assertThat(response.json().path("detail").asString()).contains("framing");
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
	}

	@Test
	void closedPortIsRefused() {
		Response response = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", refusedPort, "payload", "x"));
		assertThat(response.status()).isEqualTo(502);
		assertThat(response.json().path("code").asString()).isEqualTo("CONNECTION_REFUSED");
		assertThat(response.json().path("detail").asString()).contains("127.0.0.1:" + refusedPort);
	}

	@Test
	void unlistedPortIsForbiddenWithoutConnecting() {
		Response response = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", unlisted.port(), "payload", "x"));
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.json().path("code").asString()).isEqualTo("TARGET_FORBIDDEN");
		assertThat(unlisted.accepts()).isZero();
	}

	@Test
	void peerClosingMidFrameIsPeerClosed(CapturedOutput output) {
		Response response = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", partial.port(), "payload", "x"));
		assertThat(response.status()).as(response.toString()).isEqualTo(502);
		assertThat(response.json().path("code").asString()).isEqualTo("PEER_CLOSED");
		Response fresh = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", partial.port(), "payload", "x", "framing", "lf"));
		assertThat(fresh.json().path("code").asString()).as(fresh.toString()).isEqualTo("PEER_CLOSED");
		// an ordinary upstream outcome, answered to the caller: no ERROR line, no stack
		// (test classes run in parallel: only lines about this peer count)
		String peer = "127.0.0.1:" + partial.port();
		assertThat(output.getAll()).doesNotContainPattern("(?m)^\\S+\\s+ERROR .*" + peer)
			.doesNotContainPattern("(?m)^.*" + peer + ".*Exception");
	}

	@Test
	void endlessFrameIsFrameTooLarge() {
		Response response = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", flood.port(), "payload", "x"));
		assertThat(response.status()).as(response.toString()).isEqualTo(502);
		assertThat(response.json().path("code").asString()).isEqualTo("FRAME_TOO_LARGE");
	}

	@Test
	void rawReplyEndsWhenPeerCloses() {
		Response response = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", closer.port(), "payload", "hi", "framing", "raw", "idleMs", 5000));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().path("completedBy").asString()).isEqualTo("closed");
		assertThat(response.json().path("reply").path("payload").asString()).isEqualTo("bye-now");
		assertThat(response.json().path("bytesSent").asLong()).isEqualTo(2);
	}

	@Test
	void rawReplyEndsAfterIdleOrAtMaxBytes() {
		Response idle = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", echo.port(), "payload", "abcdef", "framing", "raw", "idleMs", 100));
		assertThat(idle.status()).as(idle.toString()).isEqualTo(200);
		assertThat(idle.json().path("completedBy").asString()).isEqualTo("idle");
		assertThat(idle.json().path("reply").path("payload").asString()).isEqualTo("abcdef");
		Response max = this.http.postJson("/api/v1/tcp/exchange", Map.of("host", "127.0.0.1", "port", echo.port(),
				"payload", "abcdef", "framing", "raw", "maxReplyBytes", 4, "idleMs", 5000));
		assertThat(max.status()).as(max.toString()).isEqualTo(200);
		assertThat(max.json().path("completedBy").asString()).isEqualTo("max-bytes");
		assertThat(max.json().path("reply").path("payload").asString()).isEqualTo("abcd");
		assertThat(max.json().path("bytesReceived").asLong()).isEqualTo(4);
	}

	@Test
	void fireAndForgetAnswersOnceWritten() {
		int before = echo.received().length;
		Response response = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", echo.port(), "payload", "fire", "awaitReply", false));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().path("completedBy").asString()).isEqualTo("sent");
		assertThat(response.json().path("reply").isNull()).isTrue();
		assertThat(response.json().path("bytesReceived").asLong()).isZero();
		org.awaitility.Awaitility.await()
			.untilAsserted(() -> assertThat(new String(echo.received(), StandardCharsets.US_ASCII).substring(before))
				.contains("fire\r\n"));
	}

	@Test
	void megabyteOfRandomBinaryRoundTripsByteForByte() {
		byte[] payload = new byte[1024 * 1024];
		new Random(42).nextBytes(payload);
		Response response = this.http.post(
				"/api/v1/tcp/exchange?host=127.0.0.1&port=" + echo.port() + "&framing=length4",
				"application/octet-stream", payload, "application/octet-stream");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.header("Content-Type")).startsWith("application/octet-stream");
		assertThat(response.header("X-Completed-By")).isEqualTo("length");
		assertThat(response.header("X-Bytes-Sent")).isEqualTo(Integer.toString(payload.length + 4));
		assertThat(response.header("X-Bytes-Received")).isEqualTo(Integer.toString(payload.length + 4));
		assertThat(response.body()).isEqualTo(payload);
	}

	@Test
	void octetStreamWithoutAcceptAnswersJsonInBase64() {
		Response response = this.http.post("/api/v1/tcp/exchange?host=127.0.0.1&port=" + echo.port(),
				"application/octet-stream", new byte[] { 1, 2, 3 }, null);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().path("reply").path("payload").asString()).isEqualTo("AQID");
		assertThat(response.json().path("reply").path("encoding").asString()).isEqualTo("base64");
	}

	@Test
	void badRequestsAreProblemsNamingTheField() {
		Map<String, Object> unknown = new LinkedHashMap<>(Map.of("host", "127.0.0.1", "port", echo.port()));
		unknown.put("payloda", "typo");
		Response typo = this.http.postJson("/api/v1/tcp/exchange", unknown);
		assertThat(typo.status()).isEqualTo(400);
		assertThat(typo.json().path("code").asString()).isEqualTo("VALIDATION_FAILED");
		assertThat(typo.json().path("detail").asString()).contains("payloda");
		assertThat(typo.json().path("requestId").asString()).isEqualTo(typo.header("X-Request-Id"));

		Response malformed = this.http.post("/api/v1/tcp/exchange", "application/json",
				"{\"host\": \"127.0.0.1\",".getBytes(StandardCharsets.UTF_8), null);
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.json().path("code").asString()).isEqualTo("VALIDATION_FAILED");

		Response hex = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", echo.port(), "payload", "48 6g", "encoding", "hex"));
		assertThat(hex.status()).isEqualTo(400);
		assertThat(hex.json().path("code").asString()).isEqualTo("INVALID_PAYLOAD");
		assertThat(hex.json().path("detail").asString()).contains("position 4");

		Response framing = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", echo.port(), "payload", "x", "framing", "null"));
		assertThat(framing.status()).isEqualTo(400);
		assertThat(framing.json().path("detail").asString()).contains("framing");

		Response tooLong = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", echo.port(), "payload", "x".repeat(256), "framing", "length1"));
		assertThat(tooLong.status()).isEqualTo(400);
		assertThat(tooLong.json().path("detail").asString()).startsWith("payload");

		Response nonCanonical = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.1", "port", echo.port(), "payload", "x"));
		assertThat(nonCanonical.status()).isEqualTo(400);
		assertThat(nonCanonical.json().path("detail").asString()).contains("host");

		Response text = this.http.post("/api/v1/tcp/exchange", "text/plain", "hi".getBytes(StandardCharsets.UTF_8),
				null);
		assertThat(text.status()).isEqualTo(415);
		assertThat(text.json().path("code").asString()).isEqualTo("VALIDATION_FAILED");

		Response quiet = this.http.postJson("/api/v1/tcp/exchange",
				Map.of("host", "127.0.0.1", "port", echo.port(), "awaitReply", false));
		assertThat(quiet.status()).isEqualTo(400);
		assertThat(quiet.json().path("detail").asString()).contains("awaitReply");
	}

	@Test
	void unknownNamedTargetIsNotFound() {
		Response response = this.http.postJson("/api/v1/tcp/exchange", Map.of("target", "nope", "payload", "x"));
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.json().path("code").asString()).isEqualTo("TARGET_NOT_FOUND");
	}

	/**
	 * Discards what it is given.
	 */
	static final class OutputStreamSink extends java.io.OutputStream {

		static final OutputStreamSink INSTANCE = new OutputStreamSink();

		@Override
		public void write(int b) {
		}

		@Override
		public void write(byte[] b, int off, int len) {
		}

	}

}
