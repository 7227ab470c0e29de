package dev.socketgateway.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import static dev.socketgateway.deploy.YamlTree.at;
import static dev.socketgateway.deploy.YamlTree.has;
import static dev.socketgateway.deploy.YamlTree.list;
import static dev.socketgateway.deploy.YamlTree.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.entry;

/**
 * Lints and renders helm/socket-gateway with the Helm library bundled in helm-java and
 * checks the rendered objects' structure.
 */
class HelmChartTests {

	static final Path CHART = Path.of("helm/socket-gateway");

	static final String RELEASE = "gw";

	static final String FULLNAME = "gw-socket-gateway";

	@TempDir
	Path temp;

	@Test
	void chartIsV2WithAppVersion() throws IOException {
		Map<String, Object> chart = new Yaml().load(Files.readString(CHART.resolve("Chart.yaml")));
		assertThat(chart).contains(entry("apiVersion", "v2"), entry("name", "socket-gateway"),
				entry("appVersion", "0.1.0"));
	}

	@Test
	void lintPassesInStrictMode() {
		LintResult result = new Helm(CHART).lint().strict().call();
		assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
		assertThat(result.getMessages()).noneMatch((message) -> message.contains("[ERROR]"))
			.noneMatch((message) -> message.contains("[WARNING]"));
	}

	@Test
	void defaultsRenderOnlyTheCoreObjects() throws IOException {
		List<Map<String, Object>> objects = render(Map.of());
		assertThat(objects).extracting(HelmChartTests::kindAndName)
			.containsExactlyInAnyOrder("ServiceAccount/" + FULLNAME, "ConfigMap/" + FULLNAME, "Service/" + FULLNAME,
					"Deployment/" + FULLNAME);
	}

	@Test
	void probesUseTheHealthGroupsOnTheManagementPort() throws IOException {
		Map<String, Object> container = container(render(Map.of()));
		Map<String, Integer> ports = containerPorts(container);
		assertThat(ports).containsEntry("http", 8080).containsEntry("management", 8081);
		assertProbe(container, "startupProbe", "/livez", ports);
		assertProbe(container, "livenessProbe", "/livez", ports);
		assertProbe(container, "readinessProbe", "/readyz", ports);
		assertThat(env(container)).containsEntry("MANAGEMENT_SERVER_PORT", "8081").containsEntry("SERVER_PORT", "8080");
	}

	private static void assertProbe(Map<String, Object> container, String probe, String path,
			Map<String, Integer> ports) {
		Map<String, Object> httpGet = map(container, probe, "httpGet");
		assertThat(httpGet.get("path")).as(probe + " path").isEqualTo(path);
		Object port = httpGet.get("port");
		Object number = (port instanceof String name) ? ports.get(name) : port;
		assertThat(number).as(probe + " port").isEqualTo(8081);
	}

	@Test
	void podAndContainerAreRestricted() throws IOException {
		Map<String, Object> podSpec = podSpec(render(Map.of()));
		Map<String, Object> pod = map(podSpec, "securityContext");
		assertThat(pod).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 10001);
		assertThat(at(pod, "seccompProfile", "type")).isEqualTo("RuntimeDefault");
		assertThat(podSpec).containsEntry("automountServiceAccountToken", false);

		Map<String, Object> container = container(podSpec);
		Map<String, Object> security = map(container, "securityContext");
		assertThat(security).containsEntry("runAsNonRoot", true)
			.containsEntry("runAsUser", 10001)
			.containsEntry("readOnlyRootFilesystem", true)
			.containsEntry("allowPrivilegeEscalation", false);
		assertThat(list(security, "capabilities", "drop")).containsExactly("ALL");
		assertThat(at(security, "seccompProfile", "type")).isEqualTo("RuntimeDefault");
	}

	@Test
	void tmpIsAnEmptyDirBecauseTheRootFilesystemIsReadOnly() throws IOException {
		Map<String, Object> podSpec = podSpec(render(Map.of()));
		Map<String, Object> container = container(podSpec);
		String volumeName = list(container, "volumeMounts").stream()
			.map(YamlTree::map)
			.filter((mount) -> "/tmp".equals(mount.get("mountPath")))
			.map((mount) -> (String) mount.get("name"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no volume mounted at /tmp"));
		assertThat(volume(podSpec, volumeName)).containsKey("emptyDir");
	}

	@Test
	void serviceExposesApiAndManagementWithClientIpAffinity() throws IOException {
		List<Map<String, Object>> objects = render(Map.of());
		Map<String, Object> service = find(objects, "Service", FULLNAME);
		Map<String, Map<String, Object>> ports = new LinkedHashMap<>();
		list(service, "spec", "ports").stream().map(YamlTree::map).forEach((p) -> ports.put((String) p.get("name"), p));
		assertThat(ports.keySet()).containsExactly("http", "management");
		assertThat(ports.get("http")).containsEntry("port", 8080).containsEntry("targetPort", "http");
		assertThat(ports.get("management")).containsEntry("port", 8081).containsEntry("targetPort", "management");
		assertThat(map(service, "spec")).containsEntry("sessionAffinity", "ClientIP");
		assertThat(at(service, "spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds")).isEqualTo(10800);
		// The selector must pick the Deployment's pods.
		Map<String, Object> podLabels = map(find(objects, "Deployment", FULLNAME), "spec", "template", "metadata",
				"labels");
		assertThat(podLabels).containsAllEntriesOf(map(service, "spec", "selector"));
	}

	@Test
	void sessionAffinityCanBeSwitchedOff() throws IOException {
		Map<String, Object> service = find(render(Map.of("service", Map.of("sessionAffinity", "None"))), "Service",
				FULLNAME);
		assertThat(map(service, "spec")).containsEntry("sessionAffinity", "None")
			.doesNotContainKey("sessionAffinityConfig");
	}

	@Test
	void gatewayPropertiesReachTheAppThroughAMountedApplicationYaml() throws IOException {
		Map<String, Object> values = Map.of("gateway",
				Map.of("targets",
						Map.of("echo-tcp", Map.of("host", "echo.demo.svc", "port", 9000, "framing", "crlf"), "echo-udp",
								Map.of("host", "echo.demo.svc", "port", 9001, "protocol", "udp")),
						"policy", Map.of("allow", List.of("10.20.0.0/16:7000-7999"), "deny", List.of("10.20.5.0/24")),
						"limits", Map.of("maxConnections", 5000, "maxListeners", 8)),
				"extraConfig", Map.of("logging", Map.of("structured", Map.of("format", Map.of("console", "ecs")))));
		List<Map<String, Object>> objects = render(values);
		Map<String, Object> configMap = find(objects, "ConfigMap", FULLNAME);
		Map<String, Object> application = new Yaml().load((String) at(configMap, "data", "application.yaml"));
		assertThat(map(application, "gateway", "targets", "echo-tcp")).containsEntry("host", "echo.demo.svc")
			.containsEntry("port", 9000)
			.containsEntry("framing", "crlf");
		assertThat(map(application, "gateway", "targets", "echo-udp")).containsEntry("protocol", "udp")
			.containsEntry("port", 9001);
		assertThat(list(application, "gateway", "policy", "allow")).containsExactly("10.20.0.0/16:7000-7999");
		assertThat(list(application, "gateway", "policy", "deny")).containsExactly("10.20.5.0/24");
		assertThat(map(application, "gateway", "limits")).containsEntry("maxConnections", 5000)
			.containsEntry("maxListeners", 8);
		assertThat(list(application, "gateway", "listeners", "allowedBindAddresses")).contains("0.0.0.0");
		assertThat(at(application, "logging", "structured", "format", "console")).isEqualTo("ecs");

		// The file is mounted where SPRING_CONFIG_ADDITIONAL_LOCATION points.
		Map<String, Object> podSpec = podSpec(objects);
		Map<String, Object> container = container(podSpec);
		String location = env(container).get("SPRING_CONFIG_ADDITIONAL_LOCATION");
		assertThat(location).startsWith("file:").endsWith("/application.yaml");
		String directory = Path.of(location.substring("file:".length())).getParent().toString();
		Map<String, Object> mount = list(container, "volumeMounts").stream()
			.map(YamlTree::map)
			.filter((m) -> directory.equals(m.get("mountPath")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("nothing mounted at " + directory));
		assertThat(at(volume(podSpec, (String) mount.get("name")), "configMap", "name")).isEqualTo(FULLNAME);
	}

	@Test
	void configChangesRollThePods() throws IOException {
		Object before = at(find(render(Map.of()), "Deployment", FULLNAME), "spec", "template", "metadata",
				"annotations", "checksum/config");
		Object after = at(find(render(Map.of("gateway", Map.of("policy", Map.of("allow", List.of("10.0.0.0/8"))))),
				"Deployment", FULLNAME), "spec", "template", "metadata", "annotations", "checksum/config");
		assertThat(after).isNotEqualTo(before);
	}

	@Test
	void apiKeysGoToASecretReadThroughTheEnvironment() throws IOException {
		List<Map<String, Object>> objects = render(Map.of("apiKeys", Map.of("keys", List.of("ci:one", "ops:two"))));
		Map<String, Object> secret = find(objects, "Secret", FULLNAME + "-api-keys");
		String encoded = (String) at(secret, "data", "api-keys");
		assertThat(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8)).isEqualTo("ci:one,ops:two");
		assertThat(secretRef(container(podSpec(objects)))).containsEntry("name", FULLNAME + "-api-keys")
			.containsEntry("key", "api-keys");
	}

	@Test
	void existingSecretIsUsedAndNoSecretIsCreated() throws IOException {
		List<Map<String, Object>> objects = render(Map.of("apiKeys", Map.of("keys", List.of("ignored:key"),
				"existingSecret", "team-gateway-keys", "existingSecretKey", "keys")));
		assertThat(objects).extracting(HelmChartTests::kind).doesNotContain("Secret");
		assertThat(secretRef(container(podSpec(objects)))).containsEntry("name", "team-gateway-keys")
			.containsEntry("key", "keys");
	}

	@Test
	void withoutKeysTheApiKeyVariableIsAbsent() throws IOException {
		assertThat(env(container(podSpec(render(Map.of()))))).doesNotContainKey("GATEWAY_SECURITY_API_KEYS");
	}

	static Stream<Arguments> optionalObjects() {
		return Stream.of(Arguments.of("ServiceMonitor", FULLNAME, Map.of("serviceMonitor", Map.of("enabled", true))),
				Arguments.of("HorizontalPodAutoscaler", FULLNAME, Map.of("autoscaling", Map.of("enabled", true))),
				Arguments.of("PodDisruptionBudget", FULLNAME, Map.of("podDisruptionBudget", Map.of("enabled", true))),
				Arguments.of("NetworkPolicy", FULLNAME, Map.of("networkPolicy", Map.of("enabled", true))),
				Arguments.of("Service", FULLNAME + "-listeners", Map.of("listenerService",
						Map.of("enabled", true, "ports", List.of(Map.of("port", 10000, "protocol", "TCP"))))));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("optionalObjects")
	void optionalObjectIsAbsentByDefaultAndPresentWhenEnabled(String kind, String name, Map<String, Object> values)
			throws IOException {
		assertThat(render(Map.of())).extracting(HelmChartTests::kindAndName).doesNotContain(kind + "/" + name);
		assertThat(render(values)).extracting(HelmChartTests::kindAndName).contains(kind + "/" + name);
	}

	@Test
	void serviceMonitorScrapesActuatorPrometheusOnTheManagementPort() throws IOException {
		List<Map<String, Object>> objects = render(
				Map.of("serviceMonitor", Map.of("enabled", true, "labels", Map.of("release", "kps"))));
		Map<String, Object> monitor = find(objects, "ServiceMonitor", FULLNAME);
		assertThat(monitor).containsEntry("apiVersion", "monitoring.coreos.com/v1");
		assertThat(map(monitor, "metadata", "labels")).containsEntry("release", "kps");
		Map<String, Object> endpoint = map(list(monitor, "spec", "endpoints").get(0));
		assertThat(endpoint).containsEntry("port", "management").containsEntry("path", "/actuator/prometheus");
		assertThat(map(find(objects, "Service", FULLNAME), "metadata", "labels"))
			.containsAllEntriesOf(map(monitor, "spec", "selector", "matchLabels"));
	}

	@Test
	void autoscalerOwnsTheReplicaCount() throws IOException {
		List<Map<String, Object>> objects = render(Map.of("autoscaling", Map.of("enabled", true)));
		Map<String, Object> hpa = find(objects, "HorizontalPodAutoscaler", FULLNAME);
		assertThat(hpa).containsEntry("apiVersion", "autoscaling/v2");
		assertThat(map(hpa, "spec", "scaleTargetRef")).containsEntry("kind", "Deployment")
			.containsEntry("name", FULLNAME);
		assertThat(map(hpa, "spec")).containsEntry("minReplicas", 2).containsEntry("maxReplicas", 5);
		assertThat(map(find(objects, "Deployment", FULLNAME), "spec")).doesNotContainKey("replicas");
	}

	@Test
	void disruptionBudgetSelectsThePods() throws IOException {
		Map<String, Object> pdb = find(render(Map.of("podDisruptionBudget", Map.of("enabled", true))),
				"PodDisruptionBudget", FULLNAME);
		assertThat(pdb).containsEntry("apiVersion", "policy/v1");
		assertThat(map(pdb, "spec")).containsEntry("minAvailable", 1);
		assertThat(map(pdb, "spec", "selector", "matchLabels")).containsEntry("app.kubernetes.io/instance", RELEASE);
	}

	@Test
	void networkPolicyAllowsApiPortsInAndOnlyDnsAndTargetCidrsOut() throws IOException {
		Map<String, Object> values = Map.of("networkPolicy",
				Map.of("enabled", true, "egress",
						Map.of("cidrs",
								List.of(Map.of("cidr", "10.20.0.0/16", "ports",
										List.of(Map.of("port", 7000, "endPort", 7999, "protocol", "TCP")))))),
				"listenerService",
				Map.of("enabled", true, "ports", List.of(Map.of("name", "syslog", "port", 10514, "protocol", "UDP"))));
		Map<String, Object> policy = find(render(values), "NetworkPolicy", FULLNAME);
		assertThat(list(policy, "spec", "policyTypes")).containsExactlyInAnyOrder("Ingress", "Egress");
		List<Object> ingressPorts = list(map(list(policy, "spec", "ingress").get(0)), "ports");
		assertThat(ingressPorts).extracting((p) -> map(p).get("port") + "/" + map(p).get("protocol"))
			.containsExactlyInAnyOrder("8080/TCP", "8081/TCP", "10514/UDP");

		List<Map<String, Object>> egress = list(policy, "spec", "egress").stream().map(YamlTree::map).toList();
		assertThat(egress).hasSize(2);
		assertThat(list(egress.get(0), "ports")).extracting((p) -> map(p).get("port") + "/" + map(p).get("protocol"))
			.containsExactlyInAnyOrder("53/UDP", "53/TCP");
		Map<String, Object> target = map(list(egress.get(1), "to").get(0));
		assertThat(at(target, "ipBlock", "cidr")).isEqualTo("10.20.0.0/16");
		assertThat(map(list(egress.get(1), "ports").get(0))).containsEntry("port", 7000).containsEntry("endPort", 7999);
	}

	@Test
	void listenerServiceExposesTheListedPortsOnThePods() throws IOException {
		List<Map<String, Object>> objects = render(Map.of("listenerService",
				Map.of("enabled", true, "type", "LoadBalancer", "ports",
						List.of(Map.of("port", 10000, "protocol", "TCP"),
								Map.of("name", "syslog", "port", 10514, "protocol", "UDP")))));
		Map<String, Object> service = find(objects, "Service", FULLNAME + "-listeners");
		assertThat(map(service, "spec")).containsEntry("type", "LoadBalancer")
			.containsEntry("sessionAffinity", "ClientIP");
		assertThat(list(service, "spec", "ports"))
			.extracting((p) -> map(p).get("name") + ":" + map(p).get("port") + "/" + map(p).get("protocol"))
			.containsExactly("tcp-10000:10000/TCP", "syslog:10514/UDP");
		assertThat(containerPorts(container(podSpec(objects)))).containsEntry("tcp-10000", 10000)
			.containsEntry("syslog", 10514);
	}

	@Test
	void listenerServiceWithoutPortsIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> render(Map.of("listenerService", Map.of("enabled", true))))
			.withMessageContaining("listenerService.ports");
	}

	@Test
	void schemaRejectsAReplicaCountThatIsNotANumber() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new Helm(CHART).template()
				.withName(RELEASE)
				.withKubeVersion("1.31.0")
				.set("replicaCount", "x")
				.call())
			.withMessageContaining("replicaCount");
	}

	@Test
	void schemaRejectsBadTargetsAndAffinity() {
		assertThatIllegalStateException()
			.isThrownBy(
					() -> render(Map.of("gateway", Map.of("targets", Map.of("t", Map.of("host", "h", "port", 70000))))))
			.withMessageContaining("port");
		assertThatIllegalStateException()
			.isThrownBy(() -> render(Map.of("service", Map.of("sessionAffinity", "Sticky"))))
			.withMessageContaining("sessionAffinity");
		assertThatIllegalStateException().isThrownBy(() -> render(Map.of("replicaCont", 2)))
			.withMessageContaining("replicaCont");
	}

	@Test
	void poolSettingsAreCheckedAndTheRemovedEngineSwitchIsRefused() throws IOException {
		assertThat(render(Map.of("gateway", Map.of("pool", Map.of("maxPerTarget", 8, "evictionInterval", "2s"),
				"targets", Map.of("smtp", Map.of("host", "h", "port", 25, "pool", false))))))
			.isNotEmpty();
		assertThatIllegalStateException()
			.isThrownBy(() -> render(Map.of("gateway", Map.of("pool", Map.of("engine", "direct")))))
			.withMessageContaining("engine");
	}

	@Test
	void everyValueIsDocumentedWithParam() throws IOException {
		String text = Files.readString(CHART.resolve("values.yaml"));
		Set<String> documented = new TreeSet<>();
		Matcher matcher = Pattern.compile("(?m)^\\s*## @param (\\S+) \\S").matcher(text);
		while (matcher.find()) {
			documented.add(matcher.group(1));
		}
		Set<String> leaves = new TreeSet<>();
		collectLeaves("", new Yaml().load(text), leaves);
		assertThat(leaves).isNotEmpty()
			.allSatisfy(
					(leaf) -> assertThat(isDocumented(leaf, documented)).as("values.yaml %s has a ## @param line", leaf)
						.isTrue());
		Map<String, Object> values = new Yaml().load(text);
		assertThat(documented)
			.allSatisfy((param) -> assertThat(has(values, param.split("\\."))).as("@param %s exists", param).isTrue());
	}

	private static void collectLeaves(String prefix, Object node, Set<String> leaves) {
		if (node instanceof Map<?, ?> map && !map.isEmpty()) {
			map.forEach((key, value) -> collectLeaves(prefix.isEmpty() ? key.toString() : prefix + "." + key, value,
					leaves));
		}
		else {
			leaves.add(prefix);
		}
	}

	private static boolean isDocumented(String leaf, Set<String> documented) {
		for (String path = leaf; !path.isEmpty(); path = path.contains(".") ? path.substring(0, path.lastIndexOf('.'))
				: "") {
			if (documented.contains(path)) {
				return true;
			}
		}
		return false;
	}

	// ---- rendering and lookup ----

	private List<Map<String, Object>> render(Map<String, Object> values) throws IOException {
		Path file = Files.createTempFile(this.temp, "values", ".yaml");
		Files.writeString(file, new Yaml().dump(values));
		TemplateCommand template = new Helm(CHART).template()
			.withName(RELEASE)
			.withNamespace("gateway")
			.withKubeVersion("1.31.0")
			.withValuesFile(file);
		List<Map<String, Object>> objects = new ArrayList<>();
		for (Object document : new Yaml().loadAll(template.call())) {
			if (document != null) {
				objects.add(map(document));
			}
		}
		return objects;
	}

	private static String kind(Map<String, Object> object) {
		return (String) object.get("kind");
	}

	private static String kindAndName(Map<String, Object> object) {
		return kind(object) + "/" + at(object, "metadata", "name");
	}

	private static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
		return objects.stream()
			.filter((object) -> kindAndName(object).equals(kind + "/" + name))
			.findFirst()
			.orElseThrow(() -> new AssertionError(kind + "/" + name + " not rendered; got "
					+ objects.stream().map(HelmChartTests::kindAndName).toList()));
	}

	private static Map<String, Object> podSpec(List<Map<String, Object>> objects) {
		return map(find(objects, "Deployment", FULLNAME), "spec", "template", "spec");
	}

	private static Map<String, Object> container(List<Map<String, Object>> objects) {
		return container(podSpec(objects));
	}

	private static Map<String, Object> container(Map<String, Object> podSpec) {
		List<Object> containers = list(podSpec, "containers");
		assertThat(containers).hasSize(1);
		return map(containers.get(0));
	}

	private static Map<String, Object> volume(Map<String, Object> podSpec, String name) {
		return list(podSpec, "volumes").stream()
			.map(YamlTree::map)
			.filter((volume) -> name.equals(volume.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no volume " + name));
	}

	private static Map<String, Integer> containerPorts(Map<String, Object> container) {
		Map<String, Integer> ports = new LinkedHashMap<>();
		list(container, "ports").stream()
			.map(YamlTree::map)
			.forEach((port) -> ports.put((String) port.get("name"), (Integer) port.get("containerPort")));
		return ports;
	}

	private static Map<String, String> env(Map<String, Object> container) {
		Map<String, String> env = new LinkedHashMap<>();
		list(container, "env").stream()
			.map(YamlTree::map)
			.forEach((variable) -> env.put((String) variable.get("name"), (String) variable.get("value")));
		return env;
	}

	private static Map<String, Object> secretRef(Map<String, Object> container) {
		return list(container, "env").stream()
			.map(YamlTree::map)
			.filter((variable) -> "GATEWAY_SECURITY_API_KEYS".equals(variable.get("name")))
			.map((variable) -> map(variable, "valueFrom", "secretKeyRef"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("GATEWAY_SECURITY_API_KEYS not set"));
	}

}
