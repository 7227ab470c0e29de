package dev.socketgateway.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.socketgateway.support.Http;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every malformed input answers a 4xx problem with a code that names what was wrong, on
 * the wire as a client sends it (raw sockets: MockMvc would skip Tomcat's parsing and the
 * firewall), without a stack trace or an ERROR line in the log.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ExtendWith(OutputCaptureExtension.class)
class StrictInputTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String SESSION_OPEN = "/api/v1/tcp/connections";

	private static final String SESSION_SEND = "/api/v1/tcp/connections/nope/messages";

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	static Stream<Arguments> malformed() {
		return Stream.of(
				// bad percent-encoding, on an API path and elsewhere
				Arguments.of("GET", "/api/v1/listeners?x=%ff", null, 400, "VALIDATION_FAILED", "query string"),
				Arguments.of("GET", "/api/v1/tcp/connections?limit=%ff", null, 400, "VALIDATION_FAILED",
						"query string"),
				Arguments.of("GET", "/nothing-here?x=%ff", null, 404, "NOT_FOUND", "/api/v1/listeners"),
				// the firewall
				Arguments.of("GET", "//api/v1/listeners", null, 400, "VALIDATION_FAILED", "normalized path"),
				Arguments.of("GET", "/api/v1/listeners;x=y", null, 400, "VALIDATION_FAILED", "normalized path"),
				Arguments.of("GET", "/api/./v1/listeners", null, 400, "VALIDATION_FAILED", "normalized path"),
				// unknown paths and wrong methods
				Arguments.of("GET", "/api/v1/nothing", null, 404, "NOT_FOUND", "/api/v1/listeners"),
				Arguments.of("GET", "/nothing-here", null, 404, "NOT_FOUND", "/api/v1/tcp/exchange"),
				Arguments.of("PUT", "/api/v1/listeners", "{}", 405, "METHOD_NOT_ALLOWED", "PUT"),
				Arguments.of("DELETE", "/api/v1/tcp/exchange", null, 405, "METHOD_NOT_ALLOWED", "DELETE"),
				// JSON scalars are not coerced
				Arguments.of("POST", SESSION_OPEN, "{\"host\":\"127.0.0.1\",\"port\":19000.9}", 400,
						"VALIDATION_FAILED", "port"),
				Arguments.of("POST", SESSION_OPEN, "{\"host\":\"127.0.0.1\",\"port\":\"19000\"}", 400,
						"VALIDATION_FAILED", "port"),
				Arguments.of("POST", SESSION_OPEN, "{\"host\":\"127.0.0.1\",\"port\":19000,\"tls\":\"true\"}", 400,
						"VALIDATION_FAILED", "tls"),
				Arguments.of("POST", SESSION_SEND, "{\"payload\":123}", 400, "VALIDATION_FAILED", "payload"),
				Arguments.of("POST", SESSION_SEND, "{\"payload\":\"x\",\"awaitReply\":1}", 400, "VALIDATION_FAILED",
						"awaitReply"),
				Arguments.of("POST", "/api/v1/tcp/exchange",
						"{\"host\":\"127.0.0.1\",\"port\":7,\"payload\":\"x\",\"replyTimeoutMs\":\"5\"}", 400,
						"VALIDATION_FAILED", "replyTimeoutMs"),
				// negative and zero query values
				Arguments.of("GET", "/api/v1/tcp/connections?limit=-1", null, 400, "VALIDATION_FAILED", "limit"),
				Arguments.of("GET", "/api/v1/listeners?limit=0", null, 400, "VALIDATION_FAILED", "limit"),
				Arguments.of("GET", "/api/v1/listeners/nope/messages?max=-1", null, 400, "VALIDATION_FAILED", "max"),
				Arguments.of("GET", "/api/v1/tcp/connections/nope/messages?max=0", null, 400, "VALIDATION_FAILED",
						"max"),
				Arguments.of("GET", "/api/v1/tcp/connections/nope/messages?waitMs=-5", null, 400, "VALIDATION_FAILED",
						"waitMs"),
				Arguments.of("GET", "/api/v1/listeners/nope/messages?after=-1", null, 400, "VALIDATION_FAILED",
						"after"),
				Arguments.of("GET", "/api/v1/listeners/nope/messages/stream?after=-1", null, 400, "VALIDATION_FAILED",
						"after"),
				Arguments.of("GET", "/api/v1/listeners/nope/messages?waitMs=soon", null, 400, "VALIDATION_FAILED",
						"waitMs"),
				// a listener's bindAddress follows the host literal rules
				Arguments.of("POST", "/api/v1/listeners", "{\"protocol\":\"tcp\",\"bindAddress\":\"127.1\"}", 400,
						"VALIDATION_FAILED", "bindAddress"),
				Arguments.of("POST", "/api/v1/listeners", "{\"protocol\":\"tcp\",\"bindAddress\":\"2130706433\"}", 400,
						"VALIDATION_FAILED", "bindAddress"),
				Arguments.of("POST", "/api/v1/listeners", "{\"protocol\":\"tcp\",\"bindAddress\":\"[::1%lo]\"}", 400,
						"VALIDATION_FAILED", "bindAddress"));
	}

	@ParameterizedTest(name = "{0} {1} {2} -> {3} {4}")
	@MethodSource("malformed")
	void malformedInputAnswersAProblemThatNamesIt(String method, String target, String body, int status, String code,
			String named, CapturedOutput output) throws IOException {
		RawResponse response = raw(this.port, method, target, body, Map.of());
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.header("content-type")).as(response.toString()).startsWith("application/problem+json");
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.path("code").asString()).as(response.toString()).isEqualTo(code);
		assertThat(problem.path("status").asInt()).isEqualTo(status);
		assertThat(problem.path("detail").asString()).as(response.toString()).contains(named);
		assertThat(problem.path("requestId").asString()).isEqualTo(response.header("x-request-id"));
		assertNoClassNames(problem.path("detail").asString());
		if (status == 405) {
			assertThat(response.header("allow")).isNotBlank();
		}
		assertThat(output.getAll()).doesNotContain(" ERROR ").doesNotContain("\tat ").doesNotContain("Exception:");
	}

	@Test
	void ceilingsAreClampedNotRefused(CapturedOutput output) {
		Http http = new Http(this.port);
		String id = http.postJson("/api/v1/listeners", Map.of("protocol", "tcp")).json().path("id").asString();
		assertThat(http.delete("/api/v1/listeners/" + id).status()).isEqualTo(204);
		// closed: the long-poll returns at once, whatever waitMs says
		Http.Response page = http.get("/api/v1/listeners/" + id + "/messages?waitMs=99999999999&max=99999999999");
		assertThat(page.status()).as(page.toString()).isEqualTo(200);
		assertThat(page.json().path("next").asLong()).isZero();
		assertThat(http.get("/api/v1/listeners?limit=99999999999").status()).isEqualTo(200);
		assertThat(http.get("/api/v1/tcp/connections?limit=5000").status()).isEqualTo(200);
		assertThat(output.getAll()).doesNotContain(" ERROR ");
	}

	@Test
	void tomcatsOwnRejectionsShowNoReportOrVersion() throws IOException {
		RawResponse response = raw(this.port, "GET", "/api/v1/listeners", null, Map.of("X-Big", "x".repeat(20_000)));
		assertThat(response.status()).isEqualTo(400);
		String text = response.toString().toLowerCase(Locale.ROOT);
		assertThat(text).doesNotContain("tomcat").doesNotContain("exception").doesNotContain("\tat ");
	}

	@Test
	void infoShowsVersionCommitAndTimeOnly() {
		Http.Response info = new Http(this.managementPort).get("/actuator/info");
		assertThat(info.status()).isEqualTo(200);
		assertThat(info.json().path("build").path("version").asString()).isNotBlank();
		assertThat(info.json().path("java").isMissingNode()).isTrue();
		JsonNode git = info.json().path("git");
		if (!git.isMissingNode()) {
			assertThat(git.path("commit").path("id").asString()).isNotBlank();
			assertThat(git.path("commit").has("user")).isFalse();
			assertThat(git.path("commit").has("message")).isFalse();
			assertThat(git.has("build")).isFalse();
		}
		assertThat(info.text()).doesNotContain("@").doesNotContain("\"host\"");
	}

	private static void assertNoClassNames(String detail) {
		assertThat(detail).doesNotContain("java.")
			.doesNotContain("`")
			.doesNotContainPattern("\\b(Integer|Boolean|Long|String|Exception|dev\\.socketgateway)\\b");
	}

	static RawResponse raw(int port, String method, String target, String body, Map<String, String> headers)
			throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(10_000);
			byte[] content = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
			StringBuilder request = new StringBuilder();
			request.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
			request.append("Host: 127.0.0.1:").append(port).append("\r\n");
			request.append("Connection: close\r\n");
			if (body != null) {
				request.append("Content-Type: application/json\r\n");
			}
			request.append("Content-Length: ").append(content.length).append("\r\n");
			headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
			request.append("\r\n");
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			out.write(content);
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream all = new ByteArrayOutputStream();
			in.transferTo(all);
			return RawResponse.parse(all.toString(StandardCharsets.UTF_8));
		}
	}

	/**
	 * A response as read off the socket.
	 *
	 * @param status the status code
	 * @param headers header names in lower case
	 * @param body the body, de-chunked
	 * @param text everything as received
	 */
	record RawResponse(int status, Map<String, String> headers, String body, String text) {

		static RawResponse parse(String text) {
			int end = text.indexOf("\r\n\r\n");
			String head = (end >= 0) ? text.substring(0, end) : text;
			String rest = (end >= 0) ? text.substring(end + 4) : "";
			String[] lines = head.split("\r\n");
			int status = Integer.parseInt(lines[0].split(" ")[1]);
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim());
			}
			String body = rest;
			if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				StringBuilder out = new StringBuilder();
				int at = 0;
				while (true) {
					int lineEnd = rest.indexOf("\r\n", at);
					int size = Integer.parseInt(rest.substring(at, lineEnd).trim(), 16);
					if (size == 0) {
						break;
					}
					out.append(rest, lineEnd + 2, lineEnd + 2 + size);
					at = lineEnd + 2 + size + 2;
				}
				body = out.toString();
			}
			return new RawResponse(status, headers, body, text);
		}

		String header(String name) {
			return this.headers.get(name);
		}

		@Override
		public String toString() {
			return this.text;
		}

	}

}
