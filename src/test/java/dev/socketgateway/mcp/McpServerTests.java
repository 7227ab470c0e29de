package dev.socketgateway.mcp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.TcpPeer;
import dev.socketgateway.support.UdpEchoPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * An MCP Java SDK client over Streamable HTTP against the gateway on a random port: the
 * tools reach real loopback peers through the REST twins' policy, keys, audit and meters.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "gateway.security.api-keys[0]=mcp-test:" + McpServerTests.KEY })
@ExtendWith(OutputCaptureExtension.class)
class McpServerTests {

	static final String KEY = "mcp-secret-key-5e2a";

	static TcpPeer echo;

	static TcpPeer sessionPeer;

	static TcpPeer unlisted;

	static UdpEchoPeer udp;

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	final JsonMapper json = JsonMapper.builder().build();

	McpSyncClient client;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) throws IOException {
		echo = TcpPeer.echo();
		sessionPeer = TcpPeer.echo();
		unlisted = TcpPeer.echo();
		udp = new UdpEchoPeer(true);
		registry.add("gateway.targets.mcp-echo.host", () -> "127.0.0.1");
		registry.add("gateway.targets.mcp-echo.port", echo::port);
		registry.add("gateway.targets.mcp-udp.host", () -> "127.0.0.1");
		registry.add("gateway.targets.mcp-udp.port", udp::port);
		registry.add("gateway.targets.mcp-udp.protocol", () -> "udp");
		registry.add("gateway.policy.allow[0]", () -> "127.0.0.1/32:" + echo.port());
		registry.add("gateway.policy.allow[1]", () -> "127.0.0.1/32:" + sessionPeer.port());
		registry.add("gateway.policy.allow[2]", () -> "127.0.0.1/32:" + udp.port());
	}

	@AfterAll
	static void close() throws IOException {
		echo.close();
		sessionPeer.close();
		unlisted.close();
		udp.close();
	}

	@AfterEach
	void closeClient() {
		if (this.client != null) {
			this.client.closeGracefully();
		}
	}

	McpSyncClient connect(Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder();
		headers.forEach(request::header);
		HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
			.builder("http://127.0.0.1:" + this.port)
			.endpoint("/mcp")
			.requestBuilder(request)
			.build();
		McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
		client.initialize();
		return client;
	}

	McpSyncClient client() {
		this.client = connect(Map.of("Authorization", "Bearer " + KEY));
		return this.client;
	}

	CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
		return client.callTool(new CallToolRequest(tool, arguments, null));
	}

	JsonNode answer(CallToolResult result) {
		assertThat(result.content()).hasSize(1);
		return this.json.readTree(((TextContent) result.content().get(0)).text());
	}

	JsonNode ok(CallToolResult result) {
		JsonNode answer = answer(result);
		assertThat(result.isError()).as("tool error: %s", answer).isFalse();
		return answer;
	}

	@Test
	void listsTheToolsWithTheirInputSchemas() {
		List<Tool> tools = client().listTools().tools();
		assertThat(tools).extracting(Tool::name)
			.containsExactlyInAnyOrder("tcp_exchange", "conversation_run", "session_open", "session_send",
					"session_read", "session_close", "udp_send", "listener_start", "listener_read", "listener_send",
					"listener_stop");
		Tool exchange = tools.stream().filter((tool) -> tool.name().equals("tcp_exchange")).findFirst().orElseThrow();
		assertThat(exchange.description()).contains("TARGET_FORBIDDEN");
		@SuppressWarnings("unchecked")
		Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) exchange.inputSchema()
			.get("properties");
		assertThat(properties).containsKeys("target", "host", "port", "payload", "encoding", "framing", "awaitReply",
				"replyEncoding", "connectTimeoutMs", "replyTimeoutMs", "idleMs", "maxReplyBytes", "tls");
		assertThat(properties.get("framing").get("anyOf")).asString()
			.contains("type=string", "crlf", "lf", "raw", "resp", "type=object");
		assertThat(properties.get("connectTimeoutMs")).containsEntry("maximum", 120000);
		assertThat((String) properties.get("payload").get("description")).contains("The message to send");
		Tool read = tools.stream().filter((tool) -> tool.name().equals("session_read")).findFirst().orElseThrow();
		assertThat(read.inputSchema().get("properties")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsKeys("connectionId", "after", "waitMs", "max", "encoding");
		assertThat(read.inputSchema().get("required")).asList().containsExactly("connectionId");
		Tool start = tools.stream().filter((tool) -> tool.name().equals("listener_start")).findFirst().orElseThrow();
		@SuppressWarnings("unchecked")
		Map<String, Map<String, Object>> startProperties = (Map<String, Map<String, Object>>) start.inputSchema()
			.get("properties");
		assertThat(startProperties.get("rules")).containsEntry("type", "array");
		assertThat(startProperties.get("rules").get("items")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("type", "object")
			.containsKey("properties");
		assertThat(startProperties.get("upstream")).containsEntry("type", "object");
		Tool conversation = tools.stream()
			.filter((tool) -> tool.name().equals("conversation_run"))
			.findFirst()
			.orElseThrow();
		assertThat(conversation.description()).contains("TARGET_FORBIDDEN");
		@SuppressWarnings("unchecked")
		Map<String, Map<String, Object>> conversationProperties = (Map<String, Map<String, Object>>) conversation
			.inputSchema()
			.get("properties");
		assertThat(conversationProperties).containsKeys("protocol", "target", "host", "port", "framing", "timeoutMs",
				"vars", "steps");
		assertThat(conversationProperties.get("steps")).containsEntry("type", "array");
		assertThat(conversationProperties.get("steps").get("items")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.extractingByKey("properties")
			.asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsKeys("send", "expect", "expectClose", "starttls", "sleepMs")
			.extractingByKey("expect")
			.asInstanceOf(InstanceOfAssertFactories.MAP)
			.extractingByKey("anyOf")
			.asString()
			.contains("type=string", "hexPrefix");
	}

	@Test
	void conversationRunReturnsEachStepsOutcome() {
		JsonNode answer = ok(call(client(), "conversation_run",
				Map.of("target", "mcp-echo", "steps", List.of(Map.of("send", "hello"), Map.of("expect", "^hello$")))));
		assertThat(answer.path("ok").asBoolean()).as("%s", answer).isTrue();
		JsonNode steps = answer.path("steps");
		assertThat(steps).hasSize(2);
		assertThat(steps.get(0).path("action").asString()).isEqualTo("send");
		assertThat(steps.get(0).path("ok").asBoolean()).isTrue();
		assertThat(steps.get(0).path("bytesSent").asLong()).isEqualTo(7);
		assertThat(steps.get(1).path("action").asString()).isEqualTo("expect");
		assertThat(steps.get(1).path("ok").asBoolean()).isTrue();
		assertThat(steps.get(1).path("payload").path("payload").asString()).isEqualTo("hello");
		assertThat(answer.path("bytesSent").asLong()).isEqualTo(7);
		assertThat(answer.path("remote").asString()).isEqualTo("127.0.0.1:" + echo.port());
	}

	@Test
	void conversationToAForbiddenTargetIsAToolErrorNamingTargetForbidden() {
		CallToolResult result = call(client(), "conversation_run", Map.of("host", "127.0.0.1", "port", unlisted.port(),
				"steps", List.of(Map.of("send", "x"), Map.of("expect", "x"))));
		assertThat(result.isError()).isTrue();
		JsonNode problem = answer(result);
		assertThat(problem.path("code").asString()).isEqualTo("TARGET_FORBIDDEN");
		assertThat(problem.path("status").asInt()).isEqualTo(403);
		assertThat(unlisted.accepts()).isZero();
	}

	@Test
	void tcpExchangeReturnsTheEchoedPayload() {
		JsonNode answer = ok(call(client(), "tcp_exchange", Map.of("target", "mcp-echo", "payload", "hello mcp")));
		assertThat(answer.path("reply").path("payload").asString()).isEqualTo("hello mcp");
		assertThat(answer.path("completedBy").asString()).isEqualTo("delimiter");
		assertThat(answer.path("bytesSent").asLong()).isEqualTo(11);
		assertThat(answer.path("remote").asString()).isEqualTo("127.0.0.1:" + echo.port());
	}

	@Test
	void sessionIsOpenedSentToReadAndClosedThroughTools() {
		McpSyncClient client = client();
		JsonNode opened = ok(call(client, "session_open", Map.of("host", "127.0.0.1", "port", sessionPeer.port())));
		String id = opened.path("id").asString();
		assertThat(opened.path("state").asString()).isEqualTo("open");
		JsonNode sent = ok(call(client, "session_send",
				Map.of("connectionId", id, "payload", "one", "awaitReply", true, "replyTimeoutMs", 5000)));
		assertThat(sent.path("reply").path("payload").asString()).isEqualTo("one");
		ok(call(client, "session_send", Map.of("connectionId", id, "payload", "74776f", "encoding", "hex")));
		JsonNode read = ok(
				call(client, "session_read", Map.of("connectionId", id, "after", 1, "waitMs", 5000, "max", 10)));
		assertThat(read.path("messages").get(0).path("payload").asString()).isEqualTo("two");
		assertThat(read.path("messages").get(0).path("seq").asLong()).isEqualTo(2);
		assertThat(read.path("next").asLong()).isEqualTo(2);
		JsonNode closed = ok(call(client, "session_close", Map.of("connectionId", id)));
		assertThat(closed.path("state").asString()).isEqualTo("closed");
		assertThat(closed.path("closedReason").asString()).isEqualTo("deleted");
		assertThat(new String(sessionPeer.received(), StandardCharsets.UTF_8)).isEqualTo("one\r\ntwo\r\n");
		JsonNode gone = answer(call(client, "session_send", Map.of("connectionId", id, "payload", "three")));
		assertThat(gone.path("code").asString()).isEqualTo("CONNECTION_CLOSED");
	}

	@Test
	void udpSendAwaitsTheReply() {
		JsonNode answer = ok(
				call(client(), "udp_send", Map.of("target", "mcp-udp", "payload", "ping", "awaitReply", true)));
		assertThat(answer.path("bytesSent").asLong()).isEqualTo(4);
		assertThat(answer.path("reply").path("payload").asString()).isEqualTo("ping");
		assertThat(answer.path("reply").path("from").asString()).isEqualTo("127.0.0.1:" + udp.port());
	}

	@Test
	void listenerStartedReadAndStoppedThroughTools() throws IOException {
		McpSyncClient client = client();
		JsonNode started = ok(call(client, "listener_start", Map.of("protocol", "tcp", "port", 0)));
		String id = started.path("id").asString();
		int listenerPort = started.path("port").asInt();
		assertThat(listenerPort).isPositive();
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), listenerPort)) {
			OutputStream out = socket.getOutputStream();
			out.write("from a raw client\r\n".getBytes(StandardCharsets.UTF_8));
			out.flush();
			JsonNode read = ok(call(client, "listener_read", Map.of("listenerId", id, "waitMs", 5000)));
			JsonNode message = read.path("messages").get(0);
			assertThat(message.path("payload").asString()).isEqualTo("from a raw client");
			assertThat(message.path("from").asString()).isEqualTo("127.0.0.1:" + socket.getLocalPort());
			ok(call(client, "listener_send",
					Map.of("listenerId", id, "to", message.path("connectionId").asString(), "payload", "back")));
			byte[] back = socket.getInputStream().readNBytes(6);
			assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo("back\r\n");
		}
		JsonNode stopped = ok(call(client, "listener_stop", Map.of("listenerId", id)));
		assertThat(stopped.path("state").asString()).isEqualTo("closed");
		assertThatException().isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), listenerPort).close());
	}

	@Test
	void forbiddenTargetIsAToolErrorNamingTargetForbidden() {
		CallToolResult result = call(client(), "tcp_exchange",
				Map.of("host", "127.0.0.1", "port", unlisted.port(), "payload", "x"));
		assertThat(result.isError()).isTrue();
		JsonNode problem = answer(result);
		assertThat(problem.path("code").asString()).isEqualTo("TARGET_FORBIDDEN");
		assertThat(problem.path("status").asInt()).isEqualTo(403);
		JsonNode rest = new Http(this.port, Map.of("Authorization", "Bearer " + KEY))
			.postJson("/api/v1/tcp/exchange", Map.of("host", "127.0.0.1", "port", unlisted.port(), "payload", "x"))
			.json();
		assertThat(problem.path("detail").asString()).isNotBlank().isEqualTo(rest.path("detail").asString());
		assertThat(unlisted.accepts()).isZero();
	}

	@Test
	void invalidArgumentsAreValidationFailedNamingTheField() {
		McpSyncClient client = client();
		JsonNode tooLong = answer(call(client, "tcp_exchange",
				Map.of("target", "mcp-echo", "payload", "x", "connectTimeoutMs", 999_999)));
		assertThat(tooLong.path("code").asString()).isEqualTo("VALIDATION_FAILED");
		assertThat(tooLong.path("detail").asString()).startsWith("connectTimeoutMs: ");
		assertThat(tooLong.path("errors").get(0).path("field").asString()).isEqualTo("connectTimeoutMs");
		// a wrongly typed argument is named in JSON terms, as the REST body's is
		JsonNode wrongType = answer(
				call(client, "tcp_exchange", Map.of("target", "mcp-echo", "payload", "x", "replyTimeoutMs", "soon")));
		assertThat(wrongType.path("code").asString()).isEqualTo("VALIDATION_FAILED");
		assertThat(wrongType.path("errors").get(0).path("field").asString()).isEqualTo("replyTimeoutMs");
		assertThat(wrongType.path("detail").asString()).doesNotContain("java.").doesNotContain("`");
		JsonNode badEnum = answer(
				call(client, "tcp_exchange", Map.of("target", "mcp-echo", "payload", "x", "framing", "morse")));
		assertThat(badEnum.path("code").asString()).isEqualTo("VALIDATION_FAILED");
		assertThat(badEnum.path("detail").asString()).startsWith("framing: ");
		CallToolResult missingId = call(client, "session_read", Map.of("waitMs", 10));
		assertThat(missingId.isError()).isTrue();
		assertThat(answer(missingId).path("detail").asString()).startsWith("connectionId: ");
		JsonNode unknown = answer(call(client, "udp_send", Map.of("target", "mcp-udp", "payload", "x", "ttl", 3)));
		assertThat(unknown.path("code").asString()).isEqualTo("VALIDATION_FAILED");
		assertThat(unknown.path("detail").asString()).startsWith("ttl: unknown argument");
	}

	@Test
	void withoutAKeyTheConnectionIsRefusedWith401() throws Exception {
		String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
				+ "\"capabilities\":{},\"clientInfo\":{\"name\":\"curl\",\"version\":\"1\"}}}";
		for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer wrong"))) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/mcp"))
				.header("Content-Type", "application/json")
				.header("Accept", "application/json, text/event-stream")
				.POST(HttpRequest.BodyPublishers.ofString(initialize));
			headers.forEach(request::header);
			{
				HttpResponse<String> response = HttpClient.newHttpClient()
					.send(request.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).isEqualTo(401);
				assertThat(response.headers().firstValue("WWW-Authenticate"))
					.hasValueSatisfying((value) -> assertThat(value).startsWith("Bearer"));
				assertThat(this.json.readTree(response.body()).path("code").asString()).isEqualTo("UNAUTHORIZED");
			}
		}
		assertThatException().isThrownBy(() -> connect(Map.of()).close());
		McpSyncClient withApiKeyHeader = connect(Map.of("X-API-Key", KEY));
		assertThat(withApiKeyHeader.listTools().tools()).isNotEmpty();
		withApiKeyHeader.closeGracefully();
	}

	@Test
	void aPostThatIsNotJsonIsRefusedWith415() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/mcp"))
			.header("Authorization", "Bearer " + KEY)
			.header("Content-Type", "text/plain")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}"))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(415);
		assertThat(response.headers().firstValue("Mcp-Session-Id")).isEmpty();
		assertThat(this.json.readTree(response.body()).path("code").asString()).isEqualTo("VALIDATION_FAILED");
	}

	@Test
	void toolCallIsMeteredAndAuditedLikeItsRestTwin(CapturedOutput output) {
		Http rest = new Http(this.port, Map.of("Authorization", "Bearer " + KEY, "X-Request-Id", "rest-twin-1"));
		Map<String, Object> body = Map.of("target", "mcp-echo", "payload", "parity");
		Map<String, Double> before = tcpMeters();
		assertThat(rest.postJson("/api/v1/tcp/exchange", body).status()).isEqualTo(200);
		Map<String, Double> afterRest = tcpMeters();
		this.client = connect(Map.of("Authorization", "Bearer " + KEY, "X-Request-Id", "mcp-twin-1"));
		ok(call(this.client, "tcp_exchange", body));
		Map<String, Double> afterMcp = tcpMeters();
		Map<String, Double> restDelta = delta(before, afterRest);
		assertThat(restDelta).containsEntry("messages.sent", 1.0)
			.containsEntry("bytes.sent", 8.0)
			.containsEntry("bytes.received", 8.0)
			.containsEntry("exchange.ok", 1.0);
		assertThat(delta(afterRest, afterMcp)).isEqualTo(restDelta);
		await().until(() -> output.getAll().contains("requestId=mcp-twin-1"));
		String restLine = auditLine(output, "rest-twin-1");
		String mcpLine = auditLine(output, "mcp-twin-1");
		assertThat(mcpLine).contains("action=tcp.exchange", "key=mcp-test", "target=mcp-echo", "bytesSent=8",
				"bytesReceived=8", "outcome=ok");
		assertThat(withoutVariables(mcpLine)).isEqualTo(withoutVariables(restLine));
	}

	private Map<String, Double> tcpMeters() {
		Map<String, Double> values = new LinkedHashMap<>();
		values.put("messages.sent", counter("gateway.messages.sent"));
		values.put("bytes.sent", counter("gateway.bytes.sent"));
		values.put("bytes.received", counter("gateway.bytes.received"));
		Timer timer = this.meters.find("gateway.exchange.duration")
			.tags("protocol", "tcp", "target", "mcp-echo", "outcome", "ok")
			.timer();
		values.put("exchange.ok", (timer != null) ? (double) timer.count() : 0.0);
		return values;
	}

	private double counter(String name) {
		Counter counter = this.meters.find(name)
			.tags("protocol", "tcp", "direction", "outbound", "target", "mcp-echo")
			.counter();
		return (counter != null) ? counter.count() : 0.0;
	}

	private static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
		Map<String, Double> delta = new LinkedHashMap<>();
		after.forEach((name, value) -> delta.put(name, value - before.get(name)));
		return delta;
	}

	private static String auditLine(CapturedOutput output, String requestId) {
		return output.getAll()
			.lines()
			.filter((line) -> line.contains("audit action=") && line.contains("requestId=" + requestId))
			.findFirst()
			.orElseThrow();
	}

	private static String withoutVariables(String line) {
		String audit = line.substring(line.indexOf("audit action="));
		return audit.replaceAll("durationMs=\\d+", "durationMs=").replaceAll("requestId=\\S+", "requestId=");
	}

}
