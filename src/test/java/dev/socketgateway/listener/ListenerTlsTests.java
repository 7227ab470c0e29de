package dev.socketgateway.listener;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A TLS listener serves the certificate of {@code gateway.tls.server-bundle}, made here
 * with openssl.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class ListenerTlsTests {

	static boolean haveOpenssl;

	static Path certificate;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void bundle(DynamicPropertyRegistry registry) throws Exception {
		Path dir = Files.createTempDirectory("sg-tls");
		Path key = dir.resolve("key.pem");
		Path cert = dir.resolve("cert.pem");
		certificate = cert;
		try {
			Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
					key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost")
				.redirectErrorStream(true)
				.start();
			openssl.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
			haveOpenssl = openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0;
		}
		catch (IOException ex) {
			haveOpenssl = false;
		}
		if (!haveOpenssl && "true".equals(System.getenv("CI"))) {
			throw new IllegalStateException("openssl is required on CI");
		}
		if (haveOpenssl) {
			registry.add("spring.ssl.bundle.pem.listener.keystore.certificate", () -> "file:" + cert);
			registry.add("spring.ssl.bundle.pem.listener.keystore.private-key", () -> "file:" + key);
			registry.add("gateway.tls.server-bundle", () -> "listener");
		}
	}

	@Test
	void tlsListenerGreetsAndCapturesOverTls() throws Exception {
		assumeTrue(haveOpenssl, "openssl not installed");
		Http http = new Http(this.port);
		Response created = http.postJson("/api/v1/listeners",
				Map.of("protocol", "tcp", "port", 0, "tls", true, "greeting", "secure hello"));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String id = created.json().path("id").asString();
		SSLContext trustAll = SSLContext.getInstance("TLS");
		trustAll.init(null, new TrustManager[] { new TrustingManager() }, new SecureRandom());
		try (SSLSocket socket = (SSLSocket) trustAll.getSocketFactory()
			.createSocket("127.0.0.1", created.json().path("port").asInt())) {
			socket.setSoTimeout(10_000);
			socket.startHandshake();
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			assertThat(reader.readLine()).isEqualTo("secure hello");
			socket.getOutputStream().write("over tls\r\n".getBytes(StandardCharsets.UTF_8));
			socket.getOutputStream().flush();
			JsonNode page = http.get("/api/v1/listeners/" + id + "/messages?after=0&waitMs=10000").json();
			assertThat(page.path("messages").get(0).path("payload").asString()).isEqualTo("over tls");
		}
		http.delete("/api/v1/listeners/" + id);
	}

	@Test
	void opensslClientVerifiesTheListenerAndGetsItsEcho() throws Exception {
		assumeTrue(haveOpenssl, "openssl not installed");
		Http http = new Http(this.port);
		Response created = http.postJson("/api/v1/listeners",
				Map.of("protocol", "tcp", "port", 0, "tls", true, "mode", "echo", "greeting", "hello s_client"));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		Process client = new ProcessBuilder("openssl", "s_client", "-connect",
				"127.0.0.1:" + created.json().path("port").asInt(), "-CAfile", certificate.toString(),
				"-verify_return_error", "-quiet", "-crlf")
			.redirectErrorStream(true)
			.start();
		try {
			org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
				BufferedReader reader = new BufferedReader(
						new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
				java.util.List<String> lines = new java.util.ArrayList<>();
				String line;
				boolean sent = false;
				while ((line = reader.readLine()) != null) {
					lines.add(line.strip());
					if (!sent && line.strip().equals("hello s_client")) {
						// -crlf turns the newline into CRLF, the listener's framing
						client.getOutputStream().write("echo me\n".getBytes(StandardCharsets.UTF_8));
						client.getOutputStream().flush();
						sent = true;
					}
					else if (line.strip().equals("echo me")) {
						break;
					}
				}
				assertThat(lines).as("s_client output").contains("hello s_client", "echo me");
			});
		}
		finally {
			client.destroy();
			http.delete("/api/v1/listeners/" + created.json().path("id").asString());
		}
	}

	private static final class TrustingManager implements X509TrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}
