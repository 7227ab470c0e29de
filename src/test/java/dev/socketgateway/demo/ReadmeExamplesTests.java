package dev.socketgateway.demo;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.support.RequiredBinary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every curl example of the README's "Try it" section with the real curl against the
 * demo profile, and compares each answer with the JSON the README shows.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ActiveProfiles("demo")
class ReadmeExamplesTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Set<String> VARYING = Set.of("connectMs", "durationMs", "requestId");

	static int tcpPort;

	static int udpPort;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void demoPorts(DynamicPropertyRegistry registry) throws IOException {
		// The demo services bind fixed ports by design; pick free ones for this run.
		try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			tcpPort = tcp.getLocalPort();
			udpPort = udp.getLocalPort();
		}
		registry.add("gateway.demo.tcp-port", () -> tcpPort);
		registry.add("gateway.demo.udp-port", () -> udpPort);
	}

	@Test
	void everyCurlExampleAnswersWhatTheReadmeShows(@TempDir Path dir) throws Exception {
		String curl = RequiredBinary.find("curl").toString();
		List<Example> examples = examples(Files.readString(Path.of("README.md")));
		assertThat(examples).hasSizeGreaterThanOrEqualTo(6);
		for (Example example : examples) {
			String command = example.command()
				.replace("localhost:8080", "127.0.0.1:" + this.port)
				.replace("localhost:8081", "127.0.0.1:" + this.managementPort)
				.replace("9000", Integer.toString(tcpPort))
				.replace("9001", Integer.toString(udpPort))
				.replace("curl ", curl + " --fail-with-body -sS --max-time 20 ");
			boolean expectError = example.expected() != null && example.expected().contains("\"status\":4");
			if (expectError) {
				command = command.replace("--fail-with-body ", "");
			}
			Process process = new ProcessBuilder("bash", "-c", command).directory(dir.toFile())
				.redirectErrorStream(true)
				.start();
			assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.exitValue()).as(example.command() + "\n" + output).isZero();
			if (example.expected() != null) {
				JsonNode actual = normalise(JSON.readTree(output));
				JsonNode expected = normalise(JSON.readTree(example.expected()
					.replace("127.0.0.1:9000", "127.0.0.1:" + tcpPort)
					.replace("127.0.0.1:9001", "127.0.0.1:" + udpPort)));
				assertThat(actual).as(example.command()).isEqualTo(expected);
			}
		}
		assertThat(dir.resolve("reply.bin")).hasContent("raw bytes");
	}

	@Test
	void sessionAndListenerWalkThroughRunsAsWritten(@TempDir Path dir) throws Exception {
		RequiredBinary.find("curl");
		String readme = Files.readString(Path.of("README.md"));
		String section = readme.substring(readme.indexOf("## A session and a listener"));
		String script = section
			.substring(section.indexOf("```sh\n") + 6, section.indexOf("```", section.indexOf("```sh\n") + 6))
			.replace("localhost:8080", "127.0.0.1:" + this.port)
			// any free port instead of the README's 10000
			.replace("\"port\": 10000", "\"port\": 0");
		Process process = new ProcessBuilder("bash", "-c", script).directory(dir.toFile())
			.redirectErrorStream(true)
			.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output.lines().map(String::strip).toList()).contains("welcome", "hi listener", "204")
			.anyMatch((line) -> line.startsWith("{\"seq\":1,\"reply\":{\"seq\":1,\"payload\":\"hello session\""))
			.anyMatch((line) -> line.contains("\"payload\":\"hi listener\"") && line.contains("\"connectionId\""));
	}

	@Test
	void demoServicesReportTheirHealth() throws Exception {
		JsonNode health = JSON.readTree(java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest
				.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health"))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString())
			.body());
		assertThat(health.path("components").path("demoEcho").path("status").asString()).isEqualTo("UP");
		assertThat(health.path("components").path("demoEcho").path("details").path("tcp").asString())
			.isEqualTo("127.0.0.1:" + tcpPort + " listening");
	}

	private static JsonNode normalise(JsonNode node) {
		if (node instanceof ObjectNode object) {
			VARYING.forEach(object::remove);
		}
		return node;
	}

	static List<Example> examples(String readme) {
		String section = readme.substring(readme.indexOf("## Try it"));
		section = section.substring(0, section.indexOf("\n## ", 5));
		List<Example> examples = new ArrayList<>();
		String[] blocks = section.split("```");
		for (int i = 1; i < blocks.length; i += 2) {
			String block = blocks[i];
			if (block.startsWith("sh\n")) {
				String expected = null;
				if (i + 2 < blocks.length && blocks[i + 2].startsWith("json\n") && blocks[i + 1].isBlank()) {
					expected = blocks[i + 2].substring(5).strip();
				}
				for (String command : block.substring(3).replace("\\\n", " ").split("\n")) {
					if (!command.isBlank()) {
						examples.add(new Example(command.strip(), expected));
					}
				}
			}
		}
		return examples;
	}

	record Example(String command, String expected) {
	}

}
