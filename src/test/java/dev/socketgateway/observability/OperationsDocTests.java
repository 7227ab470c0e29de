package dev.socketgateway.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/operations.md keeps up with the metrics, the dashboard and the alerts.
 */
class OperationsDocTests {

	private final String doc = read(Path.of("docs/operations.md"));

	@Test
	void everyGatewayMetricIsDocumented() {
		assertThat(GrafanaDashboardTests.GATEWAY_METRICS)
			.allSatisfy((metric) -> assertThat(this.doc).as(metric).contains("`" + metric));
	}

	@Test
	void everyDashboardPanelIsDocumented() {
		assertThat(GrafanaDashboard.panels(GrafanaDashboard.read(GrafanaDashboard.SOCKET_GATEWAY)))
			.allSatisfy((panel) -> assertThat(this.doc).contains(panel.path("title").asString()));
	}

	@Test
	void everyAlertHasARunbookSection() {
		for (Map<String, Object> group : list(PrometheusRulesTests.yaml(PrometheusRulesTests.RULES).get("groups"))) {
			for (Map<String, Object> rule : list(group.get("rules"))) {
				if (rule.containsKey("alert")) {
					String heading = "### " + rule.get("alert") + " ("
							+ ((Map<?, ?>) rule.get("labels")).get("severity") + ")";
					assertThat(this.doc).contains(heading);
				}
			}
		}
	}

	@Test
	void structuredLoggingSwitchIsDocumented() {
		assertThat(this.doc).contains("logging.structured.format.console=ecs");
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Object value) {
		return (List<Map<String, Object>>) value;
	}

	private static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
