package dev.socketgateway.web;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.header.HeaderWriterFilter;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lean HTTP path without API keys (issue 18): keep-alive connections are not closed
 * every 100th request, the security headers and the firewall stay, request ids stay
 * unique UUIDs.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class HttpPathTests {

	@LocalServerPort
	int port;

	@Autowired
	FilterChainProxy security;

	@Test
	void oneKeepAliveConnectionServesMoreThanTomcatsDefaultHundredRequests() throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = new BufferedInputStream(socket.getInputStream());
			byte[] request = ("GET /v3/api-docs HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII);
			for (int i = 1; i <= 150; i++) {
				out.write(request);
				out.flush();
				String head = readHead(in);
				assertThat(head).as("answer %d", i).startsWith("HTTP/1.1 200");
				assertThat(head.toLowerCase(Locale.ROOT)).as("answer %d", i).doesNotContain("connection: close");
				in.readNBytes(contentLength(head));
			}
		}
	}

	@Test
	void withoutKeysTheSecurityHeadersAndRequestIdsStay() {
		Http http = new Http(this.port);
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 20; i++) {
			Response response = http.postJson("/api/v1/tcp/exchange",
					Map.of("target", "no-such-target", "payload", "x"));
			assertThat(response.status()).isBetween(400, 499);
			assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
			assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
			assertThat(response.header("Cache-Control")).contains("no-store");
			String id = response.header("X-Request-Id");
			assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
			assertThat(response.json().path("requestId").asString()).isEqualTo(id);
			ids.add(id);
		}
		assertThat(ids).hasSize(20);
	}

	@Test
	void withoutKeysTheChainKeepsFirewallAndHeadersButNoAnonymousUser() {
		SecurityFilterChain chain = this.security.getFilterChains().get(0);
		assertThat(chain.getFilters()).hasAtLeastOneElementOfType(HeaderWriterFilter.class)
			.doesNotHaveAnyElementsOfTypes(AnonymousAuthenticationFilter.class);
		Response traversal = new Http(this.port).get("/api/v1/tcp;x/exchange");
		assertThat(traversal.status())
			.as("the firewall still rejects " + RequestRejectedException.class.getSimpleName())
			.isEqualTo(400);
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			assertThat(b).as("the connection closed").isNotNegative();
			head.write(b);
			matched = (b == ((matched % 2 == 0) ? '\r' : '\n')) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	private static int contentLength(String head) {
		for (String line : head.split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				return Integer.parseInt(line.substring(15).strip());
			}
		}
		throw new AssertionError("no Content-Length in " + head);
	}

}
