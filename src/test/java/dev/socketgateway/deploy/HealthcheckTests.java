package dev.socketgateway.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static dev.socketgateway.deploy.YamlTree.list;
import static org.assertj.core.api.Assertions.assertThat;
import dev.socketgateway.support.RequiredBinary;

/**
 * Runs the gateway's container health checks (Dockerfile HEALTHCHECK and the compose one)
 * with bash against a stand-in Actuator on 127.0.0.1: they must pass on 200 and fail on
 * 503 or when nothing listens.
 */
class HealthcheckTests {

	HttpServer actuator;

	final AtomicInteger status = new AtomicInteger(200);

	final List<String> requested = new CopyOnWriteArrayList<>();

	Path bash;

	@BeforeEach
	void startActuator() throws IOException {
		this.bash = RequiredBinary.find("bash");
		this.actuator = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.actuator.createContext("/", (exchange) -> {
			this.requested.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
			byte[] body = ((this.status.get() == 200) ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/vnd.spring-boot.actuator.v3+json");
			exchange.sendResponseHeaders(this.status.get(), body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.actuator.start();
	}

	@AfterEach
	void stopActuator() {
		this.actuator.stop(0);
	}

	private int port() {
		return this.actuator.getAddress().getPort();
	}

	/**
	 * The Dockerfile's check reads the port from MANAGEMENT_SERVER_PORT (default 8081).
	 */
	private String dockerfileCheck() {
		String healthcheck = DockerfileTests.parse(readLines(DockerfileTests.DOCKERFILE))
			.stream()
			.filter((i) -> i.keyword().equals("HEALTHCHECK"))
			.findFirst()
			.orElseThrow()
			.arguments();
		List<String> command = DockerfileTests.execForm(healthcheck.substring(healthcheck.indexOf("CMD") + 3));
		assertThat(command.get(2)).contains("${MANAGEMENT_SERVER_PORT:-8081}");
		return command.get(2);
	}

	/** The compose check names 8081 literally: point it at the stand-in's port. */
	private String composeCheck() throws IOException {
		Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
		List<Object> test = list(compose, "services", "gateway", "healthcheck", "test");
		assertThat(test.subList(0, 3)).containsExactly("CMD", "bash", "-c");
		String script = (String) test.get(3);
		assertThat(script).contains("/dev/tcp/127.0.0.1/8081");
		return script.replace("/dev/tcp/127.0.0.1/8081", "/dev/tcp/127.0.0.1/" + port());
	}

	private int run(String script, @Nullable String managementPort) throws Exception {
		Map<String, @Nullable String> env = new java.util.HashMap<>();
		env.put("MANAGEMENT_SERVER_PORT", managementPort);
		return Commands.run(List.of(this.bash.toString(), "-c", script), Path.of("."), env, Duration.ofSeconds(10))
			.exitCode();
	}

	@Test
	void dockerfileCheckPassesWhenActuatorSaysUp() throws Exception {
		assertThat(run(dockerfileCheck(), String.valueOf(port()))).isZero();
		assertThat(this.requested).containsExactly("GET /actuator/health");
	}

	@Test
	void dockerfileCheckFailsWhenActuatorSaysDown() throws Exception {
		this.status.set(503);
		assertThat(run(dockerfileCheck(), String.valueOf(port()))).isNotZero();
	}

	@Test
	void dockerfileCheckFailsWhenNothingListens() throws Exception {
		assertThat(run(dockerfileCheck(), String.valueOf(closedPort()))).isNotZero();
	}

	@Test
	void composeCheckPassesOnUpAndFailsOnDown() throws Exception {
		String script = composeCheck();
		assertThat(run(script, null)).isZero();
		this.status.set(503);
		assertThat(run(script, null)).isNotZero();
		assertThat(this.requested).containsOnly("GET /actuator/health");
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static List<String> readLines(Path path) {
		try {
			return Files.readAllLines(path);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
