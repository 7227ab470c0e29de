package dev.socketgateway.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.SocketGatewayApplication;
import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.TcpPeer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API keys on {@code /api/**}: both headers, several keys with ids, 401 problem details,
 * open management and OpenAPI endpoints, and keys that never reach logs or bodies.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ExtendWith(OutputCaptureExtension.class)
class ApiKeyTests {

	static final String OPS_KEY = "ops-Secret-0f9e8d7c6b5a";

	static final String BARE_KEY = "bare-Secret-1a2b3c4d5e6f";

	static final String WRONG_KEY = "wrong-Secret-99887766";

	static TcpPeer echo;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void keys(DynamicPropertyRegistry registry) throws IOException {
		echo = TcpPeer.echo();
		registry.add("gateway.security.api-keys[0]", () -> "ops:" + OPS_KEY);
		registry.add("gateway.security.api-keys[1]", () -> BARE_KEY);
		registry.add("gateway.policy.allow[0]", () -> "127.0.0.1/32:" + echo.port());
	}

	@AfterAll
	static void close() throws IOException {
		echo.close();
	}

	@Test
	void noKeyIs401ProblemWithBearerChallenge(CapturedOutput output) {
		int accepts = echo.accepts();
		Response response = new Http(this.port).postJson("/api/v1/tcp/exchange", exchange());
		assertUnauthorized(response);
		assertThat(response.json().path("detail").asString()).contains("Authorization: Bearer");
		assertThat(echo.accepts()).as("nothing may reach the peer").isEqualTo(accepts);
	}

	@Test
	void wrongKeyIs401InEitherHeaderAndIsNeverEchoedOrLogged(CapturedOutput output) {
		Response bearer = new Http(this.port, Map.of("Authorization", "Bearer " + WRONG_KEY))
			.postJson("/api/v1/tcp/exchange", exchange());
		Response header = new Http(this.port, Map.of("X-API-Key", WRONG_KEY)).postJson("/api/v1/tcp/exchange",
				exchange());
		assertUnauthorized(bearer);
		assertUnauthorized(header);
		assertThat(bearer.json().path("detail").asString()).contains("not valid");
		assertThat(bearer.text() + header.text()).doesNotContain(WRONG_KEY);
		assertThat(output.getAll()).doesNotContain(WRONG_KEY);
	}

	@Test
	void bearerAndXApiKeyBothPassAndTheAuditLineCarriesTheKeyIdNotTheKey(CapturedOutput output) {
		Response bearer = new Http(this.port, Map.of("Authorization", "Bearer " + OPS_KEY))
			.postJson("/api/v1/tcp/exchange", exchange());
		Response header = new Http(this.port, Map.of("X-API-Key", BARE_KEY)).postJson("/api/v1/tcp/exchange",
				exchange());
		assertThat(bearer.status()).as(bearer.toString()).isEqualTo(200);
		assertThat(header.status()).as(header.toString()).isEqualTo(200);
		assertThat(bearer.json().path("reply").path("payload").asString()).isEqualTo("hi");
		assertThat(output.getAll()).contains("audit action=tcp.exchange key=ops ")
			.contains("audit action=tcp.exchange key=key1 ")
			.doesNotContain(OPS_KEY)
			.doesNotContain(BARE_KEY);
	}

	@Test
	void schemeIsCaseInsensitiveAndOtherSchemesDoNotPass() {
		Response lower = new Http(this.port, Map.of("Authorization", "bearer " + OPS_KEY))
			.postJson("/api/v1/tcp/exchange", exchange());
		Response basic = new Http(this.port, Map.of("Authorization", "Basic " + OPS_KEY))
			.postJson("/api/v1/tcp/exchange", exchange());
		assertThat(lower.status()).as(lower.toString()).isEqualTo(200);
		assertUnauthorized(basic);
	}

	@Test
	void encodedOrOddlySpelledApiPathsCannotSkipTheKey() throws Exception {
		int accepts = echo.accepts();
		HttpClient client = HttpClient.newHttpClient();
		for (String path : new String[] { "/%61pi/v1/tcp/exchange", "/api/v1/tcp/%65xchange", "/api/./v1/tcp/exchange",
				"/api/v1/tcp/exchange;x=1", "/x/../api/v1/tcp/exchange" }) {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"host\":\"127.0.0.1\",\"port\":" + echo.port() + ",\"payload\":\"hi\"}"))
				.build();
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path + " → " + response.body()).isIn(400, 401, 404);
		}
		assertThat(echo.accepts()).isEqualTo(accepts);
	}

	@Test
	void managementEndpointsAndApiDocsNeedNoKey() {
		Http management = new Http(this.managementPort);
		Response health = management.get("/actuator/health");
		assertThat(health.status()).as(health.toString()).isEqualTo(200);
		assertThat(health.json().path("status").asString()).isEqualTo("UP");
		assertThat(management.get("/actuator/prometheus").status()).isEqualTo(200);
		assertThat(management.get("/livez").status()).isEqualTo(200);
		Response docs = new Http(this.port).get("/v3/api-docs");
		assertThat(docs.status()).as(docs.toString()).isEqualTo(200);
		assertThat(docs.json().path("paths").has("/api/v1/tcp/exchange")).isTrue();
	}

	@Test
	void startingWithoutKeysWarnsThatTheApiIsOpen(CapturedOutput output) {
		SpringApplication application = new SpringApplication(SocketGatewayApplication.class);
		// Command-line arguments: application.yml would win over default properties
		// (8080).
		try (ConfigurableApplicationContext context = application.run("--server.port=0",
				"--management.server.port=0")) {
			assertThat(output.getAll()).containsPattern("WARN .*No API key configured \\(gateway.security.api-keys\\)");
		}
	}

	private Map<String, Object> exchange() {
		return Map.of("host", "127.0.0.1", "port", echo.port(), "payload", "hi");
	}

	private static void assertUnauthorized(Response response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		JsonNode body = response.json();
		assertThat(body.path("code").asString()).isEqualTo("UNAUTHORIZED");
		assertThat(body.path("status").asInt()).isEqualTo(401);
		assertThat(body.path("requestId").asString()).isNotBlank().isEqualTo(response.header("X-Request-Id"));
	}

}
