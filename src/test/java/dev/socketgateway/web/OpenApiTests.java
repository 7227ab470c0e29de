package dev.socketgateway.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.socketgateway.support.GatewayEndToEndTests;
import dev.socketgateway.support.SharedPeers;
import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document lists every endpoint and describes every field; Swagger UI is
 * served.
 */
class OpenApiTests extends GatewayEndToEndTests {

	@Test
	void everyEndpointIsListedAndEveryFieldDescribed() {
		Response response = new Http(this.port).get("/v3/api-docs");
		assertThat(response.status()).isEqualTo(200);
		JsonNode doc = response.json();
		assertThat(doc.path("info").path("title").asString()).isEqualTo("socket-gateway");
		List<String> paths = new ArrayList<>();
		doc.path("paths").propertyNames().forEach(paths::add);
		assertThat(paths).contains("/api/v1/tcp/exchange", "/api/v1/udp/datagrams");
		List<String> undescribed = new ArrayList<>();
		for (Map.Entry<String, JsonNode> schema : doc.path("components").path("schemas").properties()) {
			for (Map.Entry<String, JsonNode> property : schema.getValue().path("properties").properties()) {
				JsonNode field = property.getValue();
				boolean described = field.hasNonNull("description") || field.has("$ref")
						|| field.path("allOf").size() > 0 || field.path("oneOf").size() > 0;
				if (!described) {
					undescribed.add(schema.getKey() + "." + property.getKey());
				}
			}
		}
		assertThat(undescribed).as("fields without a description").isEmpty();
	}

	@Test
	void framingIsAPresetOrAnObjectByType() {
		JsonNode doc = new Http(this.port).get("/v3/api-docs").json();
		JsonNode framing = doc.path("components")
			.path("schemas")
			.path("ExchangeRequest")
			.path("properties")
			.path("framing");
		JsonNode oneOf = framing.path("oneOf");
		assertThat(oneOf.size()).as(framing.toString()).isEqualTo(6);
		List<String> presets = new ArrayList<>();
		oneOf.get(0).path("enum").forEach((value) -> presets.add(value.asString()));
		assertThat(presets).contains("crlf", "raw", "resp", "reply-code", "http", "mqtt", "postgres", "modbus",
				"syslog-octet", "dns-tcp", "kafka");
		List<String> kinds = new ArrayList<>();
		for (int i = 1; i < oneOf.size(); i++) {
			kinds.add(oneOf.get(i).path("properties").path("type").path("enum").get(0).asString());
			assertThat(oneOf.get(i).path("description").asString()).isNotBlank();
		}
		assertThat(kinds).containsExactly("delimiter", "length", "varint", "lines", "fixed");
	}

	@Test
	void swaggerUiGroupsAreNamedForPeopleAndDescribed() {
		JsonNode doc = new Http(this.port).get("/v3/api-docs").json();
		Map<String, String> groupOf = Map.of("/api/v1/tcp/exchange", "TCP exchange", "/api/v1/tcp/connections",
				"Sessions", "/api/v1/listeners", "Listeners", "/api/v1/udp", "UDP", "/api/v1/conversations",
				"Conversations", "/api/v1/probes", "Probes");
		List<String> misfiled = new ArrayList<>();
		for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
			String expected = groupOf.entrySet()
				.stream()
				.filter((group) -> path.getKey().equals(group.getKey())
						|| path.getKey().startsWith(group.getKey() + "/"))
				.map(Map.Entry::getValue)
				.findFirst()
				.orElse(null);
			for (JsonNode operation : path.getValue()) {
				List<String> tags = new ArrayList<>();
				operation.path("tags").forEach((tag) -> tags.add(tag.asString()));
				if (tags.stream().anyMatch((tag) -> tag.endsWith("-controller"))
						|| (expected != null && !tags.equals(List.of(expected)))) {
					misfiled.add(path.getKey() + " " + tags);
				}
			}
		}
		assertThat(misfiled).as("operations outside their group").isEmpty();
		List<String> names = new ArrayList<>();
		for (JsonNode tag : doc.path("tags")) {
			names.add(tag.path("name").asString());
			assertThat(tag.path("description").asString()).as(tag.path("name").asString()).isNotBlank();
		}
		assertThat(names).startsWith("TCP exchange", "Sessions", "Listeners", "UDP");
	}

	@Test
	void swaggerUiIsServed() {
		Response response = new Http(this.port).get("/swagger-ui/index.html");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).containsIgnoringCase("swagger");
	}

}
