package dev.socketgateway.observability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.socketgateway.observability.GrafanaDashboard.PanelQuery;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The Grafana dashboard and its provisioning, read as files: structure, datasource,
 * metric names against the DESIGN.md contract.
 */
class GrafanaDashboardTests {

	/** Prometheus names of the meters in DESIGN.md "Metrics". */
	static final Set<String> GATEWAY_METRICS = Set.of("gateway_connections_active", "gateway_connections_opened_total",
			"gateway_connection_failures_total", "gateway_bytes_sent_total", "gateway_bytes_received_total",
			"gateway_messages_sent_total", "gateway_messages_received_total",
			"gateway_exchange_duration_seconds_bucket", "gateway_exchange_duration_seconds_count",
			"gateway_exchange_duration_seconds_sum", "gateway_exchange_duration_seconds_max",
			"gateway_listeners_active", "gateway_buffer_dropped_total", "gateway_buffer_bytes",
			"gateway_buffer_bytes_max", "gateway_probe_success", "gateway_probe_duration_seconds",
			"gateway_probe_runs_total", "gateway_conversation_duration_seconds_bucket",
			"gateway_conversation_duration_seconds_count", "gateway_conversation_duration_seconds_sum",
			"gateway_conversation_duration_seconds_max", "probe_success");

	/** Micrometer's standard JVM and process meters, and Prometheus' own {@code up}. */
	static final Set<String> STANDARD_METRICS = Set.of("up", "jvm_threads_live_threads", "jvm_threads_daemon_threads",
			"jvm_threads_peak_threads", "jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_memory_max_bytes",
			"jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum", "jvm_gc_pause_seconds_max", "process_cpu_usage",
			"system_cpu_usage", "process_uptime_seconds", "process_start_time_seconds", "process_files_open_files");

	private static final Set<String> GRAFANA_BUILT_INS = Set.of("__rate_interval", "__interval", "__range");

	private static final Pattern RANGE = Pattern.compile("\\[([^]]*)]");

	private final JsonNode dashboard = GrafanaDashboard.read(GrafanaDashboard.SOCKET_GATEWAY);

	private final List<PanelQuery> queries = GrafanaDashboard.panelQueries(GrafanaDashboard.SOCKET_GATEWAY);

	@Test
	void dashboardIsAProvisionableGrafanaDashboard() {
		assertThat(this.dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
		assertThat(this.dashboard.path("uid").asString()).isEqualTo("socket-gateway");
		assertThat(this.dashboard.path("title").asString()).isNotBlank();
		// provisioned dashboards must not carry an id from another Grafana
		assertThat(this.dashboard.has("id")).isFalse();
		List<Integer> ids = new ArrayList<>();
		for (JsonNode panel : this.dashboard.path("panels")) {
			ids.add(panel.path("id").asInt());
			panel.path("panels").forEach((nested) -> ids.add(nested.path("id").asInt()));
		}
		assertThat(ids).as("panel ids").doesNotHaveDuplicates().doesNotContain(0);
	}

	@Test
	void everyPanelHasATargetWithAnExpr() {
		List<JsonNode> panels = GrafanaDashboard.panels(this.dashboard);
		assertThat(panels).hasSizeGreaterThanOrEqualTo(9);
		assertThat(panels).allSatisfy((panel) -> {
			String title = panel.path("title").asString();
			assertThat(title).isNotBlank();
			assertThat(panel.path("targets").size()).as("targets of '%s'", title).isPositive();
			panel.path("targets")
				.forEach((target) -> assertThat(target.path("expr").asString()).as("expr of '%s'", title).isNotBlank());
		});
	}

	@Test
	void everyMetricIsOneOfTheContractsOrAStandardJvmMetric() {
		Set<String> allowed = new HashSet<>(GATEWAY_METRICS);
		allowed.addAll(STANDARD_METRICS);
		List<String> exprs = new ArrayList<>(this.queries.stream().map(PanelQuery::expr).toList());
		this.dashboard.path("templating").path("list").forEach((variable) -> exprs.add(variableQuery(variable)));
		assertThat(exprs).allSatisfy((expr) -> {
			assertThat(expr).as("selects metrics by name only").doesNotContain("__name__");
			assertThat(PromQl.metricNames(expr)).as(expr).isNotEmpty().isSubsetOf(allowed);
		});
	}

	@Test
	void dashboardShowsTheMetricsOperatorsNeed() {
		Set<String> used = new HashSet<>();
		this.queries.forEach((query) -> used.addAll(PromQl.metricNames(query.expr())));
		assertThat(used).contains("gateway_connections_active", "gateway_bytes_sent_total",
				"gateway_bytes_received_total", "gateway_exchange_duration_seconds_count",
				"gateway_exchange_duration_seconds_bucket", "gateway_connection_failures_total",
				"gateway_buffer_dropped_total", "gateway_listeners_active", "jvm_threads_live_threads",
				"jvm_memory_used_bytes");
		assertThat(this.queries).anySatisfy((query) -> assertThat(query.expr()).contains("histogram_quantile(0.5,"))
			.anySatisfy((query) -> assertThat(query.expr()).contains("histogram_quantile(0.99,"))
			.anySatisfy((query) -> assertThat(query.expr()).contains("area=\"heap\""));
	}

	@Test
	void everyDatasourceIsThePrometheusUid() {
		List<String> problems = new ArrayList<>();
		checkDatasources(this.dashboard, "$", problems);
		assertThat(problems).isEmpty();
		assertThat(GrafanaDashboard.panels(this.dashboard)).allSatisfy((panel) -> {
			assertThat(panel.path("datasource").path("uid").asString()).isEqualTo("prometheus");
			panel.path("targets")
				.forEach((target) -> assertThat(target.path("datasource").path("uid").asString())
					.isEqualTo("prometheus"));
		});
	}

	@Test
	void noQueryUsesAHostOrPortLabel() {
		assertThat(this.queries).allSatisfy(
				(query) -> assertThat(PromQl.words(query.expr())).as(query.toString()).doesNotContain("host", "port"));
		GrafanaDashboard.panels(this.dashboard)
			.forEach((panel) -> panel.path("targets")
				.forEach((target) -> assertThat(target.path("legendFormat").asString()).doesNotContain("{{host}}",
						"{{port}}")));
	}

	@Test
	void rangesUseRateIntervalAndVariablesAreDefined() {
		Set<String> defined = new HashSet<>(GRAFANA_BUILT_INS);
		this.dashboard.path("templating")
			.path("list")
			.forEach((variable) -> defined.add(variable.path("name").asString()));
		assertThat(defined).contains("instance");
		assertThat(this.queries).allSatisfy((query) -> {
			Matcher range = RANGE.matcher(query.expr());
			while (range.find()) {
				assertThat(range.group(1)).as(query.toString()).isEqualTo("$__rate_interval");
			}
			assertThat(GrafanaDashboard.variables(query.expr())).as(query.toString()).isSubsetOf(defined);
			assertThat(query.expr()).as(query.toString()).contains("instance=~\"$instance\"");
		});
	}

	@Test
	void queriesResolveToPlainPromQl() {
		assertThat(GrafanaDashboard.dashboardQueries(GrafanaDashboard.SOCKET_GATEWAY)).isNotEmpty()
			.allSatisfy((expr) -> assertThat(expr).doesNotContain("$"));
		assertThat(GrafanaDashboard
			.resolve("rate(x{instance=~\"$instance\"}[$__rate_interval]) + ${instance:regex} + label_replace($1)"))
			.isEqualTo("rate(x{instance=~\".*\"}[1m]) + .* + label_replace($1)");
	}

	@Test
	void metricNamesAreFoundWhereverTheyHide() {
		assertThat(PromQl.metricNames(
				"histogram_quantile(0.99, sum by (le, protocol) (rate(a_bucket{x=\"b c\", le!=\"1\"}[$__rate_interval])))"))
			.containsExactly("a_bucket");
		assertThat(PromQl.metricNames("sum(rate(a_total[5m] offset 1h)) / on (job) group_left() b > bool 1e3"))
			.containsExactly("a_total", "b");
		assertThat(PromQl.metricNames("topk(10, sum without (port) (c)) or vector(0) and up unless Inf"))
			.containsExactly("c", "up");
		assertThat(PromQl.words("sum by (host) (x{y=\"port\"})")).contains("host").doesNotContain("port");
	}

	@Test
	void duplicateKeysAreRejected(@TempDir Path directory) throws Exception {
		Path json = Files.writeString(directory.resolve("d.json"), "{\"uid\": \"a\", \"uid\": \"b\"}");
		assertThatException().isThrownBy(() -> GrafanaDashboard.read(json)).withMessageContaining("uid");
	}

	@Test
	void grafanaProvisioningUsesTheDatasourceUidAndTheDashboardFolder() {
		Map<String, Object> datasources = PrometheusRulesTests
			.yaml(Path.of("deploy/grafana/provisioning/datasources/prometheus.yml"));
		assertThat(datasources.get("datasources")).asInstanceOf(InstanceOfAssertFactories.LIST)
			.singleElement()
			.asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("type", "prometheus")
			.containsEntry("uid", "prometheus")
			.containsEntry("url", "http://prometheus:9090");
		Map<String, Object> dashboards = PrometheusRulesTests
			.yaml(Path.of("deploy/grafana/provisioning/dashboards/socket-gateway.yml"));
		assertThat(dashboards.get("providers")).asInstanceOf(InstanceOfAssertFactories.LIST)
			.singleElement()
			.asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("type", "file")
			.containsEntry("options",
					Map.of("path", "/var/lib/grafana/dashboards", "foldersFromFilesStructure", false));
	}

	private static String variableQuery(JsonNode variable) {
		JsonNode query = variable.path("query");
		String text = query.isObject() ? query.path("query").asString() : query.asString();
		// label_values(metric{...}, label) is Grafana's, not PromQL: check the selector
		Matcher labelValues = Pattern.compile("label_values\\((.*),\\s*\\w+\\)").matcher(text);
		return labelValues.matches() ? labelValues.group(1) : text;
	}

	private static void checkDatasources(JsonNode node, String path, List<String> problems) {
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> property : node.properties()) {
				String childPath = path + "." + property.getKey();
				if (property.getKey().equals("datasource")) {
					JsonNode datasource = property.getValue();
					if (!datasource.isObject() || !"prometheus".equals(datasource.path("uid").asString())
							|| !"prometheus".equals(datasource.path("type").asString())) {
						problems.add(childPath + " = " + datasource);
					}
				}
				checkDatasources(property.getValue(), childPath, problems);
			}
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				checkDatasources(node.get(i), path + "[" + i + "]", problems);
			}
		}
	}

}
