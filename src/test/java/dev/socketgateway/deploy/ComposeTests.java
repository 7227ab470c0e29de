package dev.socketgateway.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import static dev.socketgateway.deploy.YamlTree.at;
import static dev.socketgateway.deploy.YamlTree.list;
import static dev.socketgateway.deploy.YamlTree.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import dev.socketgateway.support.RequiredBinary;

/**
 * Validates docker-compose.yml with {@code docker-compose config} (no engine needed) in a
 * copy of the files a fresh clone has, and checks the resolved services.
 */
class ComposeTests {

	static final Duration TIMEOUT = Duration.ofSeconds(60);

	@TempDir
	static Path clone;

	static Path compose;

	static @Nullable Map<String, Object> defaultConfig;

	@BeforeAll
	static void freshClone() throws IOException {
		compose = RequiredBinary.find("docker-compose");
		// Only committed files: no .env, no deploy/compose/gateway.env.
		for (String file : List.of("docker-compose.yml", "Dockerfile", "deploy/compose/gateway.yaml",
				"deploy/compose/gateway.env.example")) {
			Path target = clone.resolve(file);
			Files.createDirectories(target.getParent());
			Files.copy(Path.of(file), target);
		}
	}

	private static Commands.Result compose(Map<String, @Nullable String> extraEnv, String... arguments)
			throws IOException, InterruptedException {
		Map<String, @Nullable String> env = new HashMap<>();
		for (String name : List.of("GATEWAY_ENV_FILE", "COMPOSE_FILE", "COMPOSE_PROJECT_NAME", "COMPOSE_PROFILES",
				"GRAFANA_ADMIN_USER", "GRAFANA_ADMIN_PASSWORD", "DOCKER_HOST")) {
			env.put(name, null);
		}
		env.putAll(extraEnv);
		List<String> command = new ArrayList<>(List.of(compose.toString()));
		command.addAll(List.of(arguments));
		return Commands.run(command, clone, env, TIMEOUT);
	}

	/**
	 * {@code docker-compose config} output; the default environment's is computed once.
	 */
	private static Map<String, Object> config(Map<String, @Nullable String> extraEnv) throws Exception {
		if (extraEnv.isEmpty() && defaultConfig != null) {
			return defaultConfig;
		}
		Commands.Result result = compose(extraEnv, "config");
		assertThat(result.exitCode()).as("%s", result).isZero();
		Map<String, Object> config = new Yaml().load(result.stdout());
		if (extraEnv.isEmpty()) {
			defaultConfig = config;
		}
		return config;
	}

	private static Map<String, Object> service(Map<String, Object> config, String name) {
		return map(config, "services", name);
	}

	@Test
	void configIsValidOnAFreshClone() throws Exception {
		Commands.Result result = compose(Map.of(), "config", "-q");
		assertThat(result.exitCode()).as("%s", result).isZero();
		assertThat(result.stdout()).isEmpty();
	}

	@Test
	void definesTheGatewayItsPeerPrometheusAndGrafana() throws Exception {
		assertThat(map(config(Map.of()), "services")).containsOnlyKeys("gateway", "echo", "prometheus", "grafana");
	}

	@Test
	void gatewayIsBuiltFromTheDockerfileAndReadsTheMountedConfig() throws Exception {
		Map<String, Object> gateway = service(config(Map.of()), "gateway");
		assertThat(Path.of((String) at(gateway, "build", "context")).toRealPath()).isEqualTo(clone.toRealPath());
		assertThat(at(gateway, "build", "dockerfile")).isEqualTo("Dockerfile");
		assertThat(map(gateway, "environment")).containsEntry("SPRING_CONFIG_ADDITIONAL_LOCATION",
				"file:/config/gateway.yaml");
		assertThat(mounts(gateway)).containsEntry("/config/gateway.yaml",
				clone.resolve("deploy/compose/gateway.yaml").toString());
		assertThat(gateway).containsEntry("read_only", true);
		assertThat(list(gateway, "tmpfs")).contains("/tmp");
	}

	@Test
	void apiKeyComesFromTheCommittedEnvExample() throws Exception {
		assertThat(map(service(config(Map.of()), "gateway"), "environment")).containsEntry("GATEWAY_SECURITY_API_KEYS",
				"ci:change-me");
	}

	@Test
	void gatewayEnvFileCanBeReplaced() throws Exception {
		Path local = clone.resolve("deploy/compose/gateway.env");
		Files.writeString(local, "GATEWAY_SECURITY_API_KEYS=ops:local-secret\n");
		Map<String, Object> config;
		try {
			config = config(Map.of("GATEWAY_ENV_FILE", "deploy/compose/gateway.env"));
		}
		finally {
			Files.delete(local);
		}
		assertThat(map(service(config, "gateway"), "environment")).containsEntry("GATEWAY_SECURITY_API_KEYS",
				"ops:local-secret");
	}

	@Test
	void namedTargetsPointAtTheDemoPeer() throws Exception {
		Map<String, Object> config = config(Map.of());
		Map<String, Object> gatewayYaml = new Yaml()
			.load(Files.readString(clone.resolve("deploy/compose/gateway.yaml")));
		Map<String, Object> tcp = map(gatewayYaml, "gateway", "targets", "echo-tcp");
		Map<String, Object> udp = map(gatewayYaml, "gateway", "targets", "echo-udp");
		assertThat(tcp).containsEntry("host", "echo").containsEntry("port", 9000).containsEntry("framing", "crlf");
		assertThat(udp).containsEntry("host", "echo").containsEntry("port", 9001).containsEntry("protocol", "udp");
		// ... and the peer really listens there.
		String peer = String.join(" ", list(service(config, "echo"), "command").stream().map(String::valueOf).toList());
		assertThat(peer).contains("TCP-LISTEN:9000,").contains("UDP-RECVFROM:9001,");
	}

	@Test
	void prometheusAndGrafanaGetTheProjectsProvisioning() throws Exception {
		Map<String, Object> config = config(Map.of());
		Path deploy = clone.resolve("deploy");
		assertThat(mounts(service(config, "prometheus")))
			.containsEntry("/etc/prometheus/prometheus.yml", deploy.resolve("prometheus/prometheus.yml").toString())
			.containsEntry("/etc/prometheus/rules", deploy.resolve("prometheus/rules").toString());
		assertThat(list(service(config, "prometheus"), "command"))
			.contains("--config.file=/etc/prometheus/prometheus.yml");
		assertThat(mounts(service(config, "grafana")))
			.containsEntry("/etc/grafana/provisioning/datasources",
					deploy.resolve("grafana/provisioning/datasources").toString())
			.containsEntry("/etc/grafana/provisioning/dashboards",
					deploy.resolve("grafana/provisioning/dashboards").toString())
			.containsEntry(GRAFANA_DASHBOARDS, deploy.resolve("grafana/dashboards").toString());
	}

	static final String GRAFANA_DASHBOARDS = "/var/lib/grafana/dashboards";

	@Test
	void everyServiceHasAHealthcheckAndStartsAfterItsDependencyIsHealthy() throws Exception {
		Map<String, Object> config = config(Map.of());
		for (String name : List.of("echo", "gateway", "prometheus", "grafana")) {
			assertThat(list(service(config, name), "healthcheck", "test")).as(name).first().isEqualTo("CMD");
		}
		assertThat(at(service(config, "gateway"), "depends_on", "echo", "condition")).isEqualTo("service_healthy");
		assertThat(at(service(config, "prometheus"), "depends_on", "gateway", "condition"))
			.isEqualTo("service_healthy");
		assertThat(at(service(config, "grafana"), "depends_on", "prometheus", "condition"))
			.isEqualTo("service_healthy");
		List<Object> gatewayCheck = list(service(config, "gateway"), "healthcheck", "test");
		assertThat(gatewayCheck.subList(1, 3)).containsExactly("bash", "-c");
		assertThat((String) gatewayCheck.get(3)).contains("/dev/tcp/127.0.0.1/8081").contains("/actuator/health");
	}

	@Test
	void portsArePublishedOnLoopbackOnly() throws Exception {
		Map<String, Object> services = map(config(Map.of()), "services");
		services.forEach((name, service) -> {
			if (YamlTree.has(service, "ports")) {
				for (Object port : list(service, "ports")) {
					String hostIp = (port instanceof Map<?, ?> longForm) ? String.valueOf(longForm.get("host_ip"))
							: String.valueOf(port).split(":")[0];
					assertThat(hostIp).as("%s publishes %s", name, port).isEqualTo("127.0.0.1");
				}
			}
		});
		assertThat(list(service(config(Map.of()), "gateway"), "ports"))
			.anySatisfy((port) -> assertThat(String.valueOf(port)).contains("8080:8080"))
			.anySatisfy((port) -> assertThat(String.valueOf(port)).contains("8081:8081"));
	}

	@Test
	void imagesArePinned() throws Exception {
		map(config(Map.of()), "services")
			.forEach((name, service) -> DockerfileTests.assertPinned((String) map(service).get("image")));
	}

	/**
	 * Cross-checks the observability files written for this stack, once they exist: the
	 * scrape target, the rule folder and the dashboard folder must match the mounts.
	 */
	@Test
	void observabilityFilesMatchTheMounts() throws IOException {
		Path prometheusYml = Path.of("deploy/prometheus/prometheus.yml");
		Path provider = Path.of("deploy/grafana/provisioning/dashboards/socket-gateway.yml");
		assumeThat(Files.exists(prometheusYml) && Files.exists(provider))
			.as("deploy/prometheus and deploy/grafana are not in this tree yet")
			.isTrue();
		Map<String, Object> prometheus = new Yaml().load(Files.readString(prometheusYml));
		String scrapes = new Yaml().dump(prometheus.get("scrape_configs"));
		assertThat(scrapes).contains("gateway:8081").contains("/actuator/prometheus");
		if (prometheus.get("rule_files") instanceof List<?> rules) {
			assertThat(rules).allSatisfy((
					rule) -> assertThat(Path.of("/etc/prometheus").resolve(String.valueOf(rule)).normalize().toString())
						.startsWith("/etc/prometheus/rules/"));
		}
		Map<String, Object> providers = new Yaml().load(Files.readString(provider));
		assertThat(list(providers, "providers"))
			.allSatisfy((p) -> assertThat(String.valueOf(at(p, "options", "path"))).startsWith(GRAFANA_DASHBOARDS));
	}

	/** Container path to host path of each bind mount. */
	private static Map<String, String> mounts(Map<String, Object> service) {
		Map<String, String> mounts = new HashMap<>();
		for (Object volume : list(service, "volumes")) {
			if (volume instanceof Map<?, ?> longForm) {
				mounts.put(String.valueOf(longForm.get("target")), String.valueOf(longForm.get("source")));
			}
			else {
				String[] parts = String.valueOf(volume).split(":");
				mounts.put(parts[1], parts[0]);
			}
		}
		return mounts;
	}

}
