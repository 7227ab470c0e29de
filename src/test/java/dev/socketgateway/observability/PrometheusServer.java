package dev.socketgateway.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import dev.socketgateway.support.RequiredBinary;
import dev.socketgateway.support.ServerProcess;

/**
 * A real {@code prometheus} process on 127.0.0.1 that scrapes one loopback target every
 * second, for tests that query what Prometheus made of an exposition.
 *
 * <pre class="code">
 * try (PrometheusServer prometheus = PrometheusServer.start("127.0.0.1:" + port, "/actuator/prometheus")) {
 *     prometheus.awaitScrapes(3, Duration.ofSeconds(30));
 *     List&lt;Sample&gt; samples = prometheus.query("gateway_connections_active");
 * }
 * </pre>
 *
 * Needs the {@code prometheus} binary (Debian package {@code prometheus}): without it the
 * test is skipped locally and fails with {@code CI=true} (see {@link RequiredBinary}).
 */
public final class PrometheusServer implements AutoCloseable {

	/** Job name of the scrape config, as in deploy/prometheus/prometheus.yml. */
	public static final String DEFAULT_JOB = "socket-gateway";

	private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private static final int START_ATTEMPTS = 3;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Process process;

	private final Path directory;

	private final Path log;

	private final URI baseUri;

	private final String target;

	private final String job;

	private final HttpClient http;

	private PrometheusServer(Process process, Path directory, Path log, URI baseUri, String target, String job,
			HttpClient http) {
		this.process = process;
		this.directory = directory;
		this.log = log;
		this.baseUri = baseUri;
		this.target = target;
		this.job = job;
		this.http = http;
	}

	/**
	 * Starts Prometheus scraping {@code target} at {@code metricsPath} every second as
	 * job {@value #DEFAULT_JOB}, and waits until it is ready.
	 * @param target loopback {@code host:port}, e.g. {@code 127.0.0.1:8081}
	 * @param metricsPath e.g. {@code /actuator/prometheus}
	 * @return the running server; close it
	 */
	public static PrometheusServer start(String target, String metricsPath) {
		return builder(target).metricsPath(metricsPath).start();
	}

	/**
	 * Starts configuring a server that scrapes {@code target}.
	 * @param target loopback {@code host:port}
	 * @return a builder
	 */
	public static Builder builder(String target) {
		return new Builder(target);
	}

	/**
	 * Where Prometheus listens, e.g. {@code http://127.0.0.1:43567}.
	 * @return the base URI
	 */
	public URI baseUri() {
		return this.baseUri;
	}

	/**
	 * The scraped target, as Prometheus labels it in {@code instance}.
	 * @return {@code host:port}
	 */
	public String target() {
		return this.target;
	}

	/**
	 * The scrape job's name, as Prometheus labels it in {@code job}.
	 * @return the job name
	 */
	public String job() {
		return this.job;
	}

	/**
	 * Runs an instant query now.
	 * @param promql the expression
	 * @return one sample per series of a vector result, or a single label-less sample for
	 * a scalar result
	 * @throws IllegalStateException when Prometheus rejects the query (the message
	 * carries its error), or the result is a range vector or a string
	 */
	public List<Sample> query(String promql) {
		URI uri = this.baseUri.resolve("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
		HttpResponse<String> response = get(uri);
		JsonNode body = JSON.readTree(response.body());
		if (response.statusCode() != 200 || !"success".equals(body.path("status").asString())) {
			throw new IllegalStateException("Prometheus rejected '" + promql + "' (HTTP " + response.statusCode()
					+ "): " + body.path("errorType").asString() + ": " + body.path("error").asString());
		}
		JsonNode data = body.path("data");
		String resultType = data.path("resultType").asString();
		JsonNode result = data.path("result");
		return switch (resultType) {
			case "vector" -> {
				List<Sample> samples = new ArrayList<>();
				for (JsonNode series : result) {
					Map<String, String> labels = new LinkedHashMap<>();
					series.path("metric").forEachEntry((name, value) -> labels.put(name, value.asString()));
					samples.add(new Sample(Collections.unmodifiableMap(labels), value(series.path("value"))));
				}
				yield List.copyOf(samples);
			}
			case "scalar" -> List.of(new Sample(Map.of(), value(result)));
			default -> throw new IllegalStateException(
					"'" + promql + "' gave a " + resultType + " result; query() takes instant vectors and scalars");
		};
	}

	/**
	 * Waits until Prometheus has scraped the target successfully {@code scrapes} times,
	 * so that {@code rate(...[1m])} has the two samples it needs. Prometheus applies new
	 * targets on a 5 s tick, so the first scrape comes about 5 s after start.
	 * @param scrapes successful scrapes to wait for
	 * @param timeout how long to wait at most
	 */
	public void awaitScrapes(int scrapes, Duration timeout) {
		String promql = "sum_over_time(up{job=\"" + this.job + "\"}[1h])";
		try {
			Awaitility.await("%d successful scrapes of %s".formatted(scrapes, this.target))
				.atMost(timeout)
				.pollInterval(Duration.ofMillis(250))
				.until(() -> query(promql).stream().anyMatch((sample) -> sample.value() >= scrapes));
		}
		catch (ConditionTimeoutException ex) {
			throw new IllegalStateException(ex.getMessage() + "; up: " + query("up") + "\n" + log(), ex);
		}
	}

	/**
	 * Prometheus' own log so far, for failure messages.
	 * @return the log text
	 */
	public String log() {
		return readLog(this.log);
	}

	/**
	 * Stops the process and deletes its configuration and storage.
	 */
	@Override
	public void close() {
		try {
			ServerProcess.stop(this.process);
		}
		finally {
			deleteRecursively(this.directory);
		}
	}

	private HttpResponse<String> get(URI uri) {
		try {
			HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("GET " + uri + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted during GET " + uri, ex);
		}
	}

	private static double value(JsonNode timestampAndValue) {
		String value = timestampAndValue.path(1).asString();
		return switch (value) {
			case "+Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			default -> Double.parseDouble(value);
		};
	}

	private static String readLog(Path log) {
		try {
			return Files.exists(log) ? Files.readString(log) : "";
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex + ")";
		}
	}

	private static void deleteRecursively(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a leftover temp directory is not worth failing a test for
		}
	}

	/**
	 * One sample of an instant query result.
	 *
	 * @param labels the series' labels, including {@code __name__} for raw series
	 * @param value the sample value ({@code NaN} and infinities included)
	 */
	public record Sample(Map<String, String> labels, double value) {

		/**
		 * A label's value.
		 * @param name label name
		 * @return its value, or {@code ""} as PromQL treats a missing label
		 */
		public String label(String name) {
			return this.labels.getOrDefault(name, "");
		}

	}

	/**
	 * Configures and starts a {@link PrometheusServer}.
	 */
	public static final class Builder {

		private final String target;

		private String metricsPath = "/actuator/prometheus";

		private String job = DEFAULT_JOB;

		private Duration scrapeInterval = Duration.ofSeconds(1);

		private Duration startupTimeout = Duration.ofSeconds(60);

		private final List<Path> ruleFiles = new ArrayList<>();

		private String scrapeConfigs;

		private Builder(String target) {
			this.target = requireLoopback(target);
		}

		/**
		 * The path Prometheus scrapes.
		 * @param metricsPath absolute path, default {@code /actuator/prometheus}
		 * @return this builder
		 */
		public Builder metricsPath(String metricsPath) {
			if (!metricsPath.startsWith("/")) {
				throw new IllegalArgumentException("metrics path must start with '/': " + metricsPath);
			}
			this.metricsPath = metricsPath;
			return this;
		}

		/**
		 * The scrape job's name, default {@value PrometheusServer#DEFAULT_JOB}.
		 * @param job job name
		 * @return this builder
		 */
		public Builder job(String job) {
			this.job = job;
			return this;
		}

		/**
		 * How often to scrape (and evaluate rules), default 1s.
		 * @param scrapeInterval the interval, whole seconds
		 * @return this builder
		 */
		public Builder scrapeInterval(Duration scrapeInterval) {
			this.scrapeInterval = scrapeInterval;
			return this;
		}

		/**
		 * Rule files to load, e.g. deploy/prometheus/rules/socket-gateway-alerts.yml.
		 * @param ruleFiles rule files
		 * @return this builder
		 */
		public Builder ruleFiles(Path... ruleFiles) {
			for (Path ruleFile : ruleFiles) {
				this.ruleFiles.add(ruleFile.toAbsolutePath());
			}
			return this;
		}

		/**
		 * Scrape jobs to use instead of the one built from the target, e.g. a deploy/ job
		 * rewritten to loopback addresses.
		 * @param scrapeConfigs the items of {@code scrape_configs}, as YAML
		 * @return this builder
		 */
		public Builder scrapeConfigs(String scrapeConfigs) {
			this.scrapeConfigs = scrapeConfigs;
			return this;
		}

		/**
		 * How long to wait for {@code /-/ready}, default 60s.
		 * @param startupTimeout the timeout
		 * @return this builder
		 */
		public Builder startupTimeout(Duration startupTimeout) {
			this.startupTimeout = startupTimeout;
			return this;
		}

		/**
		 * Starts Prometheus and waits until {@code /-/ready} answers 200.
		 * @return the running server; close it
		 */
		public PrometheusServer start() {
			Path binary = RequiredBinary.find("prometheus");
			HttpClient http = HttpClient.newBuilder()
				.proxy(HttpClient.Builder.NO_PROXY)
				.connectTimeout(Duration.ofSeconds(2))
				.build();
			try {
				Path directory = Files.createTempDirectory("prometheus-test-");
				Path config = Files.writeString(directory.resolve("prometheus.yml"), config());
				IllegalStateException failure = null;
				// The free port is found by binding and releasing it; another process may
				// take
				// it in between, so a bind failure is retried on a new port.
				for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
					int port = freePort();
					Path log = directory.resolve("prometheus-" + attempt + ".log");
					Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
							"--storage.tsdb.path=" + directory.resolve("data-" + attempt),
							"--web.listen-address=127.0.0.1:" + port, "--log.level=info")
						.redirectErrorStream(true)
						.redirectOutput(log.toFile())
						.start();
					URI baseUri = URI.create("http://127.0.0.1:" + port);
					PrometheusServer server = new PrometheusServer(process, directory, log, baseUri, this.target,
							this.job, http);
					try {
						awaitReady(server);
						return server;
					}
					catch (IllegalStateException ex) {
						process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
						failure = ex;
						if (!readLog(log).contains("address already in use")) {
							break;
						}
					}
				}
				deleteRecursively(directory);
				throw (failure != null) ? failure : new IllegalStateException("Prometheus did not start");
			}
			catch (IOException ex) {
				throw new UncheckedIOException("could not start " + binary, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while starting Prometheus", ex);
			}
		}

		private void awaitReady(PrometheusServer server) {
			URI ready = server.baseUri.resolve("/-/ready");
			try {
				Awaitility.await("Prometheus ready at " + ready)
					.atMost(this.startupTimeout)
					.pollInterval(Duration.ofMillis(100))
					.ignoreException(UncheckedIOException.class)
					.until(() -> {
						if (!server.process.isAlive()) {
							throw new IllegalStateException("Prometheus exited with " + server.process.exitValue()
									+ " before it was ready:\n" + server.log());
						}
						return server.get(ready).statusCode() == 200;
					});
			}
			catch (ConditionTimeoutException ex) {
				throw new IllegalStateException(ex.getMessage() + "\n" + server.log(), ex);
			}
		}

		private String config() {
			long seconds = Math.max(1, this.scrapeInterval.toSeconds());
			StringBuilder yaml = new StringBuilder();
			yaml.append("global:\n");
			yaml.append("  scrape_interval: ").append(seconds).append("s\n");
			yaml.append("  scrape_timeout: ").append(seconds).append("s\n");
			yaml.append("  evaluation_interval: ").append(seconds).append("s\n");
			if (!this.ruleFiles.isEmpty()) {
				yaml.append("rule_files:\n");
				this.ruleFiles
					.forEach((ruleFile) -> yaml.append("  - ").append(quote(ruleFile.toString())).append('\n'));
			}
			yaml.append("scrape_configs:\n");
			if (this.scrapeConfigs != null) {
				return yaml.append(this.scrapeConfigs).toString();
			}
			yaml.append("  - job_name: ").append(quote(this.job)).append('\n');
			yaml.append("    metrics_path: ").append(quote(this.metricsPath)).append('\n');
			yaml.append("    static_configs:\n");
			yaml.append("      - targets: [").append(quote(this.target)).append("]\n");
			return yaml.toString();
		}

		private static boolean isIpv4Literal(String host) {
			if (!IPV4_LITERAL.matcher(host).matches()) {
				return false;
			}
			for (String octet : host.split("\\.")) {
				if (Integer.parseInt(octet) > 255) {
					return false;
				}
			}
			return true;
		}

		private static String quote(String value) {
			return "'" + value.replace("'", "''") + "'";
		}

		private static int freePort() throws IOException {
			try (ServerSocket socket = new ServerSocket()) {
				socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
				return socket.getLocalPort();
			}
		}

		// Tests only ever scrape something on this machine.
		private static String requireLoopback(String target) {
			URI uri;
			try {
				uri = URI.create("http://" + target);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("target must be host:port, got '" + target + "'", ex);
			}
			String host = uri.getHost();
			if (host == null || uri.getPort() < 1 || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
				throw new IllegalArgumentException("target must be host:port, got '" + target + "'");
			}
			String literal = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
			boolean loopback;
			if (literal.equalsIgnoreCase("localhost")) {
				loopback = true;
			}
			else if (isIpv4Literal(literal) || literal.contains(":")) {
				try {
					// a literal: no name lookup happens
					loopback = InetAddress.getByName(literal).isLoopbackAddress();
				}
				catch (IOException ex) {
					loopback = false;
				}
			}
			else {
				loopback = false;
			}
			if (!loopback) {
				throw new IllegalArgumentException("target must be a loopback address, got '" + target + "'");
			}
			return target;
		}

	}

}
