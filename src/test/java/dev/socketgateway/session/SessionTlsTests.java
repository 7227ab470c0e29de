package dev.socketgateway.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.TlsMaterial;
import dev.socketgateway.support.TlsMaterial.ServerCertificate;
import dev.socketgateway.support.TlsPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sessions over TLS: the handshake happens at open (so its failure is a 502 there), a
 * server that speaks first is read, and messages round-trip.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class SessionTlsTests {

	static Path dir;

	static TlsPeer echo;

	static TlsPeer greeter;

	static TlsPeer untrusted;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry registry) throws IOException {
		dir = Files.createTempDirectory("sg-session-tls");
		TlsMaterial trusted = TlsMaterial.ca(dir, "trusted");
		TlsMaterial rogue = TlsMaterial.ca(dir, "rogue");
		ServerCertificate good = trusted.server("good", "DNS:localhost,IP:127.0.0.1");
		echo = TlsPeer.echo(good.serverContext());
		greeter = TlsPeer.start(good.serverContext(), (socket, in, out) -> {
			out.write("hello over tls\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			in.transferTo(out);
		});
		untrusted = TlsPeer.echo(rogue.server("rogue", "DNS:localhost,IP:127.0.0.1").serverContext());
		registry.add("spring.ssl.bundle.pem.upstream.truststore.certificate", () -> "file:" + trusted.caCertificate());
		registry.add("gateway.tls.client-bundle", () -> "upstream");
		registry.add("gateway.policy.allow[0]", () -> "127.0.0.1/32");
	}

	@AfterAll
	static void stop() throws IOException {
		echo.close();
		greeter.close();
		untrusted.close();
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

	@Test
	void tlsSessionSendsAndReceives() {
		Http http = new Http(this.port);
		Response opened = http.postJson("/api/v1/tcp/connections",
				Map.of("host", "127.0.0.1", "port", echo.port(), "tls", true));
		assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
		String id = opened.json().path("id").asString();
		// the peer counts a handshake when its side of it completes, which can lag the
		// gateway's under load (TLS 1.3: the client finishes first)
		await().untilAsserted(() -> assertThat(echo.handshakes()).isEqualTo(1));
		Response sent = http.postJson("/api/v1/tcp/connections/" + id + "/messages",
				Map.of("payload", "secret hello", "awaitReply", true));
		assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
		assertThat(sent.json().path("reply").path("payload").asString()).isEqualTo("secret hello");
		// Plaintext bytes, framing included.
		assertThat(http.get("/api/v1/tcp/connections/" + id).json().path("bytesSent").asLong()).isEqualTo(14);
		assertThat(http.delete("/api/v1/tcp/connections/" + id).status()).isEqualTo(204);
		assertThat(http.get("/api/v1/tcp/connections/" + id).json().path("closedReason").asString())
			.isEqualTo("deleted");
	}

	@Test
	void serverThatSpeaksFirstOverTlsIsRead() {
		Http http = new Http(this.port);
		Response opened = http.postJson("/api/v1/tcp/connections",
				Map.of("host", "127.0.0.1", "port", greeter.port(), "tls", true));
		assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
		String id = opened.json().path("id").asString();
		JsonNode page = http.get("/api/v1/tcp/connections/" + id + "/messages?after=0&waitMs=5000").json();
		assertThat(page.path("messages").get(0).path("payload").asString()).isEqualTo("hello over tls");
		http.delete("/api/v1/tcp/connections/" + id);
	}

	@Test
	void untrustedCertificateFailsAtOpen() {
		Response opened = new Http(this.port).postJson("/api/v1/tcp/connections",
				Map.of("host", "127.0.0.1", "port", untrusted.port(), "tls", true));
		assertThat(opened.status()).as(opened.toString()).isEqualTo(502);
		assertThat(opened.json().path("code").asString()).isEqualTo("TLS_HANDSHAKE_FAILED");
		assertThat(opened.json().path("detail").asString()).contains("trust");
		await().until(() -> new Http(this.port).get("/api/v1/tcp/connections?state=open")
			.json()
			.path("connections")
			.size() == 0);
	}

}
