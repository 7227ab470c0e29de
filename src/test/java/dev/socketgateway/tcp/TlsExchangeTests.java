package dev.socketgateway.tcp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.OpenSslServer;
import dev.socketgateway.support.TcpPeer;
import dev.socketgateway.support.TlsMaterial;
import dev.socketgateway.support.TlsPeer;
import dev.socketgateway.support.TlsMaterial.ServerCertificate;
import dev.socketgateway.egress.HostResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upstream TLS for the one-shot exchange against real {@code openssl s_server} processes
 * on 127.0.0.1, with certificates made for the test and trusted through a Spring Boot PEM
 * SSL bundle.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "spring.main.allow-bean-definition-overriding=true" })
class TlsExchangeTests {

	static Path dir;

	// s_server serves one connection at a time: each positive case has its own server.
	static OpenSslServer pooled;

	static OpenSslServer named;

	static OpenSslServer fresh;

	static OpenSslServer untrusted;

	static OpenSslServer mismatch;

	static OpenSslServer sni;

	static TlsPeer jdk;

	static TlsPeer mute;

	static TcpPeer plaintext;

	static TcpPeer silent;

	@LocalServerPort
	int port;

	Http http;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry registry) throws IOException {
		dir = Files.createTempDirectory("sg-tls");
		TlsMaterial trusted = TlsMaterial.ca(dir, "trusted");
		TlsMaterial rogue = TlsMaterial.ca(dir, "rogue");
		ServerCertificate good = trusted.server("good", "DNS:localhost,IP:127.0.0.1");
		pooled = OpenSslServer.start(good);
		named = OpenSslServer.start(good);
		fresh = OpenSslServer.start(good);
		untrusted = OpenSslServer.start(rogue.server("untrusted", "DNS:localhost,IP:127.0.0.1"));
		mismatch = OpenSslServer.start(trusted.server("other", "DNS:other.test"));
		sni = OpenSslServer.startWithSni(good, trusted.server("digits", "DNS:1sni.test"), "1sni.test");
		jdk = TlsPeer.echo(good.serverContext());
		mute = TlsPeer.start(good.serverContext(), (socket, in, out) -> in.transferTo(OutputStream.nullOutputStream()));
		plaintext = TcpPeer.start((socket, in, out) -> {
			out.write("220 hello, plain text here\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			in.transferTo(OutputStreamSink.INSTANCE);
		});
		silent = TcpPeer.start((socket, in, out) -> in.transferTo(OutputStreamSink.INSTANCE));
		registry.add("spring.ssl.bundle.pem.upstream.truststore.certificate", () -> "file:" + trusted.caCertificate());
		registry.add("gateway.tls.client-bundle", () -> "upstream");
		registry.add("gateway.policy.allow[0]", () -> "127.0.0.1/32");
		registry.add("gateway.targets.tls-named.host", () -> "127.0.0.1");
		registry.add("gateway.targets.tls-named.port", named::port);
		registry.add("gateway.targets.tls-named.tls", () -> "true");
		registry.add("gateway.targets.tls-named.framing", () -> "lf");
		registry.add("gateway.targets.tls-mismatch.host", () -> "127.0.0.1");
		registry.add("gateway.targets.tls-mismatch.port", mismatch::port);
		registry.add("gateway.targets.tls-mismatch.tls", () -> "true");
		registry.add("spring.ssl.bundle.pem.rogue.truststore.certificate", () -> "file:" + rogue.caCertificate());
		registry.add("gateway.targets.tls-rogue-bundle.host", () -> "127.0.0.1");
		registry.add("gateway.targets.tls-rogue-bundle.port", jdk::port);
		registry.add("gateway.targets.tls-rogue-bundle.tls", () -> "true");
		registry.add("gateway.targets.tls-rogue-bundle.tls-bundle", () -> "rogue");
		registry.add("gateway.targets.tls-sni.host", () -> "1sni.test");
		registry.add("gateway.targets.tls-sni.port", sni::port);
		registry.add("gateway.targets.tls-sni.tls", () -> "true");
		registry.add("gateway.targets.tls-sni.framing", () -> "lf");
	}

	@AfterAll
	static void stop() throws IOException {
		for (OpenSslServer server : new OpenSslServer[] { pooled, named, fresh, untrusted, mismatch, sni }) {
			if (server != null) {
				server.close();
			}
		}
		jdk.close();
		mute.close();
		plaintext.close();
		silent.close();
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

	@Test
	void trustedCertificateWithMatchingNameExchangesOverTls() {
		Response response = exchange(
				Map.of("host", "127.0.0.1", "port", pooled.port(), "tls", true, "framing", "lf", "payload", "hello"));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.path("reply").path("payload").asString()).isEqualTo("olleh");
		assertThat(body.path("completedBy").asString()).isEqualTo("delimiter");
		// plaintext bytes, not TLS records
		assertThat(body.path("bytesSent").asLong()).isEqualTo(6);
		assertThat(body.path("bytesReceived").asLong()).isEqualTo(6);
		Response again = exchange(
				Map.of("host", "127.0.0.1", "port", pooled.port(), "tls", true, "framing", "lf", "payload", "abc"));
		assertThat(again.json().path("reply").path("payload").asString()).as(again.toString()).isEqualTo("cba");
	}

	@Test
	void concurrentPooledTlsExchangesAgainstAJdkPeer() throws Exception {
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
		try {
			List<java.util.concurrent.Future<Response>> replies = new java.util.ArrayList<>();
			for (int i = 0; i < 20; i++) {
				String payload = "m" + i;
				replies.add(pool.submit(() -> exchange(
						Map.of("host", "127.0.0.1", "port", jdk.port(), "tls", true, "payload", payload))));
			}
			for (int i = 0; i < replies.size(); i++) {
				Response response = replies.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
				assertThat(response.status()).as(response.toString()).isEqualTo(200);
				assertThat(response.json().path("reply").path("payload").asString()).isEqualTo("m" + i);
			}
			assertThat(jdk.handshakes()).isBetween(1, 16);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void freshConnectionWithRawFramingAlsoSpeaksTls() {
		Response response = exchange(Map.of("host", "127.0.0.1", "port", fresh.port(), "tls", true, "framing", "raw",
				"payload", "ping\n", "idleMs", 300));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().path("reply").path("payload").asString()).isEqualTo("gnip\n");
	}

	@Test
	void targetTlsCannotBeSwitchedOffByTheRequest() {
		Response response = exchange(Map.of("target", "tls-named", "tls", false, "payload", "hello"));
		// s_server speaks only TLS: a reply proves the request's tls:false was ignored
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().path("reply").path("payload").asString()).isEqualTo("olleh");
	}

	@Test
	void hostNamesThatStartWithADigitStillSendSni() {
		// The server presents the 1sni.test certificate only to clients that send that
		// SNI
		Response response = exchange(Map.of("target", "tls-sni", "payload", "hello"));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().path("reply").path("payload").asString()).isEqualTo("olleh");
	}

	@Test
	void untrustedCertificateIsAHandshakeFailureThatSaysTrust() {
		Response response = exchange(Map.of("host", "127.0.0.1", "port", untrusted.port(), "tls", true, "payload",
				"hello", "framing", "lf"));
		assertProblem(response, 502, "TLS_HANDSHAKE_FAILED");
		assertThat(response.json().path("detail").asString()).contains("not trusted")
			.contains("SSL bundle 'upstream' (gateway.tls.client-bundle)");
	}

	@Test
	void untrustedCertificateNamesTheTargetsBundle() {
		Response response = exchange(Map.of("target", "tls-rogue-bundle", "payload", "hello"));
		assertProblem(response, 502, "TLS_HANDSHAKE_FAILED");
		assertThat(response.json().path("detail").asString()).contains("not trusted")
			.contains("SSL bundle 'rogue' (the target's tls-bundle)");
	}

	@Test
	void certificateForAnotherNameIsAHandshakeFailureThatSaysTheName() {
		Response response = exchange(Map.of("target", "tls-mismatch", "payload", "hello", "framing", "lf"));
		assertProblem(response, 502, "TLS_HANDSHAKE_FAILED");
		assertThat(response.json().path("detail").asString()).contains("does not name the host").contains("127.0.0.1");
	}

	@Test
	void plaintextServerIsAHandshakeFailureThatSaysProtocol() {
		Response response = exchange(
				Map.of("host", "127.0.0.1", "port", plaintext.port(), "tls", true, "payload", "hello"));
		assertProblem(response, 502, "TLS_HANDSHAKE_FAILED");
		assertThat(response.json().path("detail").asString()).contains("speaking TLS");
	}

	@Test
	void handshakeThatNeverCompletesIsAConnectTimeout() {
		long start = System.nanoTime();
		Response response = exchange(Map.of("host", "127.0.0.1", "port", silent.port(), "tls", true, "payload", "hello",
				"connectTimeoutMs", 500, "replyTimeoutMs", 60_000));
		long elapsedMs = (System.nanoTime() - start) / 1_000_000;
		assertProblem(response, 504, "CONNECT_TIMEOUT");
		// TCP connected: the host is up, the TLS handshake got no answer
		assertThat(response.json().path("detail").asString()).contains("TLS handshake")
			.contains("TLS port")
			.doesNotContain("host is up");
		// the handshake is bounded by the connect timeout, not the minute-long reply
		// timeout
		assertThat(elapsedMs).isLessThan(60_000);
	}

	@Test
	void serverThatNeverAnswersOverTlsIsAReplyTimeout() {
		long start = System.nanoTime();
		Response response = exchange(Map.of("host", "127.0.0.1", "port", mute.port(), "tls", true, "payload", "hello",
				"replyTimeoutMs", 300));
		long elapsedMs = (System.nanoTime() - start) / 1_000_000;
		assertProblem(response, 504, "REPLY_TIMEOUT");
		assertThat(elapsedMs).isBetween(300L, 300L + 3000L);
		// the connection the deadline closed is not reused: the next exchange works
		assertThat(exchange(Map.of("host", "127.0.0.1", "port", jdk.port(), "tls", true, "payload", "again")).status())
			.isEqualTo(200);
	}

	private Response exchange(Map<String, Object> body) {
		return this.http.postJson("/api/v1/tcp/exchange", body);
	}

	static void assertProblem(Response response, int status, String code) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().path("code").asString()).as(response.toString()).isEqualTo(code);
	}

	/**
	 * Resolves the test's one made-up name to loopback, and nothing else.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class Names {

		@Bean
		HostResolver hostResolver() {
			return (host) -> {
				if (host.equals("1sni.test")) {
					return List.of(InetAddress.getLoopbackAddress());
				}
				throw new UnknownHostException(host);
			};
		}

	}

	enum OutputStreamSink {

		;

		static final java.io.OutputStream INSTANCE = java.io.OutputStream.nullOutputStream();

	}

}
