package dev.socketgateway.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.socketgateway.support.Http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar in Spring AOT mode ({@code -Dspring.aot.enabled=true}, the bean
 * definitions process-aot generated), as the container image runs it: profiles
 * {@code demo} and {@code gateway.pool.*} given at run time still take effect, and the
 * Spring Integration flows (the demo echo, pooled exchanges and listeners registered in
 * the IntegrationFlowContext), the management context, the Prometheus scrape and
 * springdoc work, and {@code gateway.mcp.enabled=false} given at run time removes
 * {@code /mcp}. Runs in {@code verify} after {@code package} (failsafe), on the JDK that
 * runs Maven.
 */
class SpringAotModeIT {

	private static final Pattern TOMCAT_PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private static final Duration START = Duration.ofMinutes(3);

	@TempDir
	static Path dir;

	private static Process gateway;

	private static Path log;

	private static Http api;

	private static Http management;

	@BeforeAll
	static void start() throws IOException {
		Path jar;
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			jar = files
				.filter((file) -> file.getFileName().toString().matches("socket-gateway-.*\\.jar")
						&& !file.getFileName().toString().endsWith("-plain.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("no packaged jar in target/: run mvn verify"))
				.toAbsolutePath();
		}
		int tcpPort;
		int udpPort;
		// The demo targets name the echo ports, so they cannot be 0: take free ones.
		try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			tcpPort = tcp.getLocalPort();
			udpPort = udp.getLocalPort();
		}
		log = dir.resolve("gateway.log");
		gateway = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Dspring.aot.enabled=true", "-jar", jar.toString(), "--spring.profiles.active=demo",
				"--gateway.pool.max-per-target=7", "--server.port=0", "--server.address=127.0.0.1",
				"--management.server.port=0", "--management.server.address=127.0.0.1",
				"--gateway.demo.tcp-port=" + tcpPort, "--gateway.demo.udp-port=" + udpPort,
				"--gateway.listeners.allowed-ports[0]=0", "--gateway.mcp.enabled=false")
			.directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		await().atMost(START).until(() -> ports().size() == 2 || !gateway.isAlive());
		assertThat(gateway.isAlive()).as("gateway running; its log:%n%s", logText()).isTrue();
		// /readyz is only on the management port.
		List<Integer> ports = ports();
		boolean firstIsManagement = new Http(ports.get(0)).get("/readyz").status() == 200;
		management = new Http(firstIsManagement ? ports.get(0) : ports.get(1));
		api = new Http(firstIsManagement ? ports.get(1) : ports.get(0));
		await().atMost(START).until(() -> management.get("/readyz").status() == 200);
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (gateway != null) {
			gateway.destroy();
			gateway.waitFor();
		}
	}

	@Test
	void demoEchoAnswersAPooledExchange() {
		Http.Response response = api.postJson("/api/v1/tcp/exchange", Map.of("target", "echo-tcp", "payload", "hello"));
		assertThat(response.status()).as("%s", response).isEqualTo(200);
		assertThat(response.json().at("/reply/payload").asString()).isEqualTo("hello");
	}

	@Test
	void demoUdpEchoAnswersADatagram() {
		Http.Response response = api.postJson("/api/v1/udp/datagrams",
				Map.of("target", "echo-udp", "payload", "ping", "awaitReply", true));
		assertThat(response.status()).as("%s", response).isEqualTo(200);
		assertThat(response.json().at("/reply/payload").asString()).isEqualTo("ping");
	}

	@Test
	void sessionSendsAndReceives() {
		Http.Response opened = api.postJson("/api/v1/tcp/connections", Map.of("target", "echo-tcp"));
		assertThat(opened.status()).as("%s", opened).isEqualTo(201);
		String id = opened.json().get("id").asString();
		Http.Response sent = api.postJson("/api/v1/tcp/connections/" + id + "/messages",
				Map.of("payload", "hello session", "awaitReply", true));
		assertThat(sent.status()).as("%s", sent).isEqualTo(200);
		assertThat(sent.json().at("/reply/payload").asString()).isEqualTo("hello session");
		assertThat(api.delete("/api/v1/tcp/connections/" + id).status()).isEqualTo(204);
	}

	@Test
	void listenerEchoesAClient() throws IOException {
		Http.Response created = api.postJson("/api/v1/listeners",
				Map.of("protocol", "tcp", "port", 0, "mode", "echo", "greeting", "welcome"));
		assertThat(created.status()).as("%s", created).isEqualTo(201);
		JsonNode listener = created.json();
		try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.get("port").asInt())) {
			client.setSoTimeout(30_000);
			BufferedReader in = new BufferedReader(
					new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
			assertThat(in.readLine()).isEqualTo("welcome");
			OutputStream out = client.getOutputStream();
			out.write("hi listener\r\n".getBytes(StandardCharsets.UTF_8));
			out.flush();
			assertThat(in.readLine()).isEqualTo("hi listener");
		}
		assertThat(api.delete("/api/v1/listeners/" + listener.get("id").asString()).status()).isEqualTo(204);
	}

	@Test
	void managementContextServesHealthAndPrometheus() {
		Http.Response health = management.get("/actuator/health");
		assertThat(health.status()).as("%s", health).isEqualTo(200);
		assertThat(health.json().at("/components/demoEcho/status").asString()).isEqualTo("UP");
		assertThat(health.json().at("/components/upstreamPools/status").asString()).isEqualTo("UP");
		assertThat(health.json().at("/components/upstreamPools/details/maxPerTarget").asInt()).isEqualTo(7);
		Http.Response prometheus = management.get("/actuator/prometheus");
		assertThat(prometheus.status()).isEqualTo(200);
		assertThat(prometheus.text()).contains("jvm_threads_live_threads").contains("application=\"socket-gateway\"");
	}

	@Test
	void springdocDescribesTheApi() {
		Http.Response docs = api.get("/v3/api-docs");
		assertThat(docs.status()).as("%s", docs).isEqualTo(200);
		assertThat(docs.json().get("paths").propertyNames()).contains("/api/v1/tcp/exchange", "/api/v1/listeners");
	}

	@Test
	void mcpSwitchedOffAtRunTimeIsNotFound() {
		// process-aot ran with gateway.mcp.enabled at its default (true): a 404 here
		// shows
		// the switch is read at run time, not frozen into the generated bean definitions
		Http.Response response = api.post("/mcp", "application/json",
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}".getBytes(StandardCharsets.UTF_8),
				"application/json, text/event-stream");
		assertThat(response.status()).as("%s", response).isEqualTo(404);
	}

	@Test
	void noGeneratedPasswordIsLogged() throws IOException {
		assertThat(logText()).contains("Started SocketGatewayApplication")
			.doesNotContain("generated security password");
	}

	private static List<Integer> ports() throws IOException {
		List<Integer> ports = new ArrayList<>();
		Matcher matcher = TOMCAT_PORT.matcher(logText());
		while (matcher.find()) {
			ports.add(Integer.parseInt(matcher.group(1)));
		}
		return ports;
	}

	private static String logText() throws IOException {
		return Files.exists(log) ? Files.readString(log) : "";
	}

}
