package dev.socketgateway.buffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.socketgateway.support.Http;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client cannot exhaust the heap: a gateway in its own JVM with a 96 MiB heap (so a
 * 24 MiB buffer budget) takes 300 MiB of 1 MiB lines on two listeners, stays up, answers,
 * counts every evicted message in {@code dropped} and {@code gateway.buffer.dropped}, and
 * keeps its buffered bytes and its heap after a GC within the budget.
 */
class BufferMemoryTests {

	static final int MIB = 1024 * 1024;

	static final int LINES_PER_LISTENER = 150;

	private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");

	@Test
	void aFloodOfLargeLinesIsEvictedNotFatal() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-Xmx96m", "-XX:+ExitOnOutOfMemoryError",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				"dev.socketgateway.SocketGatewayApplication", "--server.port=0", "--management.server.port=0",
				"--management.endpoints.web.exposure.include=health,prometheus,metrics",
				"--gateway.limits.max-frame-bytes=2MB", "--logging.level.root=WARN",
				"--logging.level.org.springframework.boot.tomcat=INFO"));
		Process gateway = new ProcessBuilder(command).redirectErrorStream(true).start();
		List<String> log = new ArrayList<>();
		CompletableFuture<int[]> ports = new CompletableFuture<>();
		Thread reader = new Thread(() -> readLog(gateway, log, ports), "gateway-log");
		reader.setDaemon(true);
		reader.start();
		try {
			int[] started = ports.get(180, TimeUnit.SECONDS);
			Http api = new Http(started[0]);
			Http management = new Http(started[1]);
			long budget = (long) gauge(management, "gateway.buffer.bytes.max");
			assertThat(budget).as("a quarter of 96 MiB").isBetween(20L * MIB, 25L * MIB);

			List<String> ids = new ArrayList<>();
			List<Socket> clients = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				JsonNode listener = api.postJson("/api/v1/listeners", Map.of("protocol", "tcp")).json();
				ids.add(listener.path("id").asString());
				clients.add(new Socket(InetAddress.getLoopbackAddress(), listener.path("port").asInt()));
			}
			byte[] line = new byte[MIB];
			Arrays.fill(line, (byte) 'a');
			line[MIB - 2] = '\r';
			line[MIB - 1] = '\n';
			// warm the path (flows, frame buffers) with one line each, then measure the
			// heap
			for (int i = 0; i < 2; i++) {
				clients.get(i).getOutputStream().write(line);
				clients.get(i).getOutputStream().flush();
				assertThat(api.get("/api/v1/listeners/" + ids.get(i) + "/messages?after=0&waitMs=30000&max=1")
					.json()
					.path("next")
					.asLong()).isEqualTo(1);
			}
			long baseline = heapAfterGc(gateway, management);
			for (int n = 1; n < LINES_PER_LISTENER; n++) {
				for (Socket client : clients) {
					OutputStream out = client.getOutputStream();
					out.write(line);
					out.flush();
				}
			}
			for (String id : ids) {
				// the last line arrived
				JsonNode last = api
					.get("/api/v1/listeners/" + id + "/messages?after=" + (LINES_PER_LISTENER - 1)
							+ "&waitMs=30000&max=1")
					.json();
				assertThat(last.path("messages").get(0).path("seq").asLong()).isEqualTo(LINES_PER_LISTENER);
			}
			// read after both: an append on one listener may evict on the other
			long dropped = 0;
			for (String id : ids) {
				JsonNode oldest = api.get("/api/v1/listeners/" + id + "/messages?after=0&max=1").json();
				long first = oldest.path("messages").get(0).path("seq").asLong();
				long retained = LINES_PER_LISTENER - first + 1;
				assertThat(oldest.path("dropped").asLong()).as("received - retained")
					.isEqualTo(LINES_PER_LISTENER - retained)
					.isPositive();
				dropped += oldest.path("dropped").asLong();
			}
			assertThat(gateway.isAlive()).isTrue();
			assertThat(api.get("/api/v1/listeners").status()).isEqualTo(200);
			assertThat(gauge(management, "gateway.buffer.dropped")).isEqualTo(dropped);
			long buffered = (long) gauge(management, "gateway.buffer.bytes");
			assertThat(buffered).isPositive().isLessThanOrEqualTo(budget);
			long heap = heapAfterGc(gateway, management);
			// the buffers' budget plus what I/O keeps pooled for 1 MiB frames and bodies
			assertThat(heap - baseline).as("heap growth after GC, baseline %d", baseline)
				.isLessThanOrEqualTo(budget + 24L * MIB);
			assertThat(heap).as("heap after GC").isLessThan(80L * MIB);
			for (Socket client : clients) {
				client.close();
			}
		}
		catch (Exception | AssertionError ex) {
			synchronized (log) {
				throw new AssertionError("gateway log:\n" + String.join("\n", log), ex);
			}
		}
		finally {
			gateway.destroy();
			if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
				gateway.destroyForcibly();
			}
		}
	}

	private static void readLog(Process gateway, List<String> log, CompletableFuture<int[]> ports) {
		List<Integer> found = new ArrayList<>();
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))) {
			String text;
			while ((text = lines.readLine()) != null) {
				synchronized (log) {
					log.add(text);
				}
				Matcher matcher = STARTED.matcher(text);
				if (matcher.find()) {
					found.add(Integer.parseInt(matcher.group(1)));
					if (found.size() == 2) {
						ports.complete(new int[] { found.get(0), found.get(1) });
					}
				}
			}
		}
		catch (IOException ex) {
			ports.completeExceptionally(ex);
		}
		ports.completeExceptionally(new IllegalStateException("the gateway exited"));
	}

	/** Heap used after a full GC, asked for with jcmd. */
	private static long heapAfterGc(Process gateway, Http management) throws Exception {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(gateway.pid()), "GC.run")
			.redirectErrorStream(true)
			.start();
		gc.getInputStream().readAllBytes();
		assertThat(gc.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return (long) gauge(management, "jvm.memory.used?tag=area:heap");
	}

	private static double gauge(Http management, String metric) {
		Http.Response response = management.get("/actuator/metrics/" + metric);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().path("measurements").get(0).path("value").asDouble();
	}

}
