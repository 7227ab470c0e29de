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
	void swaggerUiIsServed() {
		Response response = new Http(this.port).get("/swagger-ui/index.html");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).containsIgnoringCase("swagger");
	}

}
