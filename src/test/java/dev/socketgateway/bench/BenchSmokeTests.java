package dev.socketgateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.support.RequiredBinary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The benchmark harness at tiny scale, as a correctness check only: bench/EchoServer.java
 * as a separate process, bench/Direct.java against it, bench/Sessions.java and wrk with
 * bench/post.lua against a gateway in profile {@code bench}. Numbers must come out and
 * nothing may fail; no figure is compared with a target.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ActiveProfiles("bench")
class BenchSmokeTests {

	private static final Path BENCH = Path.of("bench").toAbsolutePath();

	private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S+)");

	private static Process echo;

	private static int tcpPort;

	private static int udpPort;

	@LocalServerPort
	int port;

	@TempDir
	Path temp;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) throws IOException {
		Path ports = Files.createTempDirectory("bench-smoke").resolve("ports");
		echo = new ProcessBuilder(java(), BENCH.resolve("EchoServer.java").toString(), "0", "0", ports.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(ports) || !echo.isAlive());
		assertThat(echo.isAlive()).as("EchoServer started").isTrue();
		Map<String, String> fields = fields(Files.readString(ports));
		tcpPort = Integer.parseInt(fields.get("tcp"));
		udpPort = Integer.parseInt(fields.get("udp"));
		int sinkPort = Integer.parseInt(fields.get("sink"));
		registry.add("bench.tcp-port", () -> tcpPort);
		registry.add("bench.udp-port", () -> udpPort);
		registry.add("bench.udp-sink-port", () -> sinkPort);
	}

	@AfterAll
	static void stopUpstream() {
		if (echo != null) {
			echo.destroy();
		}
	}

	@Test
	void directSocketBaselineGivesLatencies() throws Exception {
		Map<String, String> result = result(run(List.of(java(), BENCH.resolve("Direct.java").toString(), "127.0.0.1",
				Integer.toString(tcpPort), "200", "500")));
		assertThat(result).containsEntry("n", "500").containsEntry("errors", "0");
		assertThat(Double.parseDouble(result.get("p50_us"))).isPositive();
		assertThat(Double.parseDouble(result.get("p99_us")))
			.isGreaterThanOrEqualTo(Double.parseDouble(result.get("p50_us")));
	}

	@Test
	void sessionsOpenAndOneStillAnswers() throws Exception {
		Map<String, String> result = result(run(List.of(java(), BENCH.resolve("Sessions.java").toString(),
				"http://127.0.0.1:" + this.port, "bench-tcp", "50", "8")));
		assertThat(result).containsEntry("opened", "50").containsEntry("failed", "0").containsEntry("answered", "true");
		assertThat(Double.parseDouble(result.get("rate"))).isPositive();
	}

	@Test
	void wrkDrivesEveryScenarioWithoutErrors() throws Exception {
		Path wrk = RequiredBinary.find("wrk");
		Map<String, String> bodies = new LinkedHashMap<>();
		bodies.put("/api/v1/bench/noop", "{\"target\":\"bench-tcp\",\"payload\":\"hello, world!\"}");
		bodies.put("/api/v1/tcp/exchange", "{\"target\":\"bench-tcp\",\"payload\":\"hello, world!\"}");
		bodies.put("/api/v1/udp/datagrams", "{\"target\":\"bench-udp-sink\",\"payload\":\"hello, world!\"}");
		bodies.put("/api/v1/udp/datagrams?reply",
				"{\"target\":\"bench-udp\",\"payload\":\"hello, world!\",\"awaitReply\":true}");
		for (Map.Entry<String, String> entry : bodies.entrySet()) {
			String path = entry.getKey().replace("?reply", "");
			// one request first: wrk's short window must not be spent on the first
			// call's class loading
			HttpResponse<String> first = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(entry.getValue()))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(first.statusCode()).as(first.body()).isBetween(200, 299);
			ProcessBuilder builder = new ProcessBuilder(wrk.toString(), "-t1", "-c4", "-d2s", "--timeout", "10s", "-s",
					BENCH.resolve("post.lua").toString(), "http://127.0.0.1:" + this.port + path);
			builder.environment().put("BENCH_BODY", entry.getValue());
			Map<String, String> result = result(run(builder));
			assertThat(result).as(entry.getKey()).containsEntry("errors", "0").containsEntry("non2xx", "0");
			assertThat(Long.parseLong(result.get("requests"))).as(entry.getKey()).isPositive();
			assertThat(Long.parseLong(result.get("p50_us"))).as(entry.getKey()).isPositive();
		}
	}

	@Test
	void runScriptIsValidBash() throws Exception {
		String output = run(List.of("bash", "-n", BENCH.resolve("run").toString()));
		assertThat(output).isEmpty();
	}

	private String run(List<String> command) throws Exception {
		return run(new ProcessBuilder(command));
	}

	private String run(ProcessBuilder builder) throws Exception {
		Path out = this.temp.resolve("out-" + System.nanoTime());
		Process process = builder.redirectErrorStream(true).redirectOutput(out.toFile()).start();
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(builder.command() + " did not finish within 120 s");
		}
		String output = Files.readString(out, StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(builder.command() + " exit; output:\n" + output).isZero();
		return output;
	}

	private static Map<String, String> result(String output) {
		List<String> lines = new ArrayList<>();
		output.lines().filter((line) -> line.startsWith("RESULT")).forEach(lines::add);
		assertThat(lines).as("one RESULT line in:\n" + output).hasSize(1);
		return fields(lines.get(0));
	}

	private static Map<String, String> fields(String line) {
		Map<String, String> fields = new LinkedHashMap<>();
		Matcher matcher = FIELD.matcher(line);
		while (matcher.find()) {
			fields.put(matcher.group(1), matcher.group(2));
		}
		return fields;
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
