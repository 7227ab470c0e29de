package dev.socketgateway.observability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the PromQL queries out of a Grafana dashboard JSON, and resolves its template
 * variables so the queries run against Prometheus directly.
 *
 * <pre class="code">
 * for (PanelQuery query : GrafanaDashboard.panelQueries(GrafanaDashboard.SOCKET_GATEWAY)) {
 *     assertThat(prometheus.query(query.resolvedExpr())).as(query.toString()).isNotEmpty();
 * }
 * </pre>
 */
public final class GrafanaDashboard {

	/** The socket-gateway dashboard, relative to the project directory. */
	public static final Path SOCKET_GATEWAY = Path.of("deploy/grafana/dashboards/socket-gateway.json");

	/**
	 * Values for Grafana's variables when a query runs outside Grafana:
	 * {@code $__rate_interval} → {@code 1m}, {@code $instance} → {@code .*} (all).
	 */
	public static final Map<String, String> DEFAULT_VARIABLES = Map.of("__rate_interval", "1m", "__interval", "1m",
			"__range", "1h", "instance", ".*");

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)");

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private GrafanaDashboard() {
	}

	/**
	 * Parses a dashboard; duplicate keys are an error.
	 * @param json the dashboard file
	 * @return its tree
	 */
	public static JsonNode read(Path json) {
		return JSON.readTree(json);
	}

	/**
	 * Every panel that shows data, including panels nested in collapsed rows; rows
	 * themselves are left out.
	 * @param dashboard a parsed dashboard
	 * @return the panels in document order
	 */
	public static List<JsonNode> panels(JsonNode dashboard) {
		List<JsonNode> panels = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			if ("row".equals(panel.path("type").asString())) {
				panel.path("panels").forEach(panels::add);
			}
			else {
				panels.add(panel);
			}
		}
		return panels;
	}

	/**
	 * Every query target of every panel.
	 * @param json the dashboard file
	 * @return the queries in document order
	 */
	public static List<PanelQuery> panelQueries(Path json) {
		List<PanelQuery> queries = new ArrayList<>();
		for (JsonNode panel : panels(read(json))) {
			for (JsonNode target : panel.path("targets")) {
				queries.add(new PanelQuery(panel.path("title").asString(), target.path("refId").asString(),
						target.path("expr").asString()));
			}
		}
		return queries;
	}

	/**
	 * Every panel query with {@link #DEFAULT_VARIABLES} substituted, ready for
	 * Prometheus.
	 * @param json the dashboard file
	 * @return resolved PromQL expressions in document order
	 */
	public static List<String> dashboardQueries(Path json) {
		return panelQueries(json).stream().map(PanelQuery::resolvedExpr).toList();
	}

	/**
	 * Substitutes {@link #DEFAULT_VARIABLES} in an expression.
	 * @param expr a panel's expression
	 * @return the expression without known Grafana variables
	 */
	public static String resolve(String expr) {
		return resolve(expr, DEFAULT_VARIABLES);
	}

	/**
	 * Substitutes {@code $name}, {@code ${name}} and {@code ${name:format}}; unknown
	 * names are left as they are, as Grafana does.
	 * @param expr a panel's expression
	 * @param variables values by variable name (without {@code $})
	 * @return the resolved expression
	 */
	public static String resolve(String expr, Map<String, String> variables) {
		Matcher matcher = VARIABLE.matcher(expr);
		StringBuilder resolved = new StringBuilder();
		while (matcher.find()) {
			String name = (matcher.group(1) != null) ? matcher.group(1) : matcher.group(2);
			String value = variables.getOrDefault(name, matcher.group());
			matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
		}
		matcher.appendTail(resolved);
		return resolved.toString();
	}

	/**
	 * Names of the variables an expression uses.
	 * @param expr a panel's expression
	 * @return variable names without {@code $}
	 */
	public static List<String> variables(String expr) {
		List<String> names = new ArrayList<>();
		Matcher matcher = VARIABLE.matcher(expr);
		while (matcher.find()) {
			names.add((matcher.group(1) != null) ? matcher.group(1) : matcher.group(2));
		}
		return names;
	}

	/**
	 * One query target of a panel.
	 *
	 * @param panelTitle the panel's title
	 * @param refId the target's refId
	 * @param expr the PromQL as written in the dashboard
	 */
	public record PanelQuery(String panelTitle, String refId, String expr) {

		/**
		 * The expression with {@link GrafanaDashboard#DEFAULT_VARIABLES} substituted.
		 * @return PromQL for Prometheus
		 */
		public String resolvedExpr() {
			return resolve(this.expr);
		}

		@Override
		public String toString() {
			return "'" + this.panelTitle + "' " + this.refId + ": " + this.expr;
		}

	}

}
