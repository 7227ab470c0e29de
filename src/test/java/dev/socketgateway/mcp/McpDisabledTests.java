package dev.socketgateway.mcp;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import dev.socketgateway.support.Http;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code gateway.mcp.enabled=false} removes the endpoint.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "gateway.mcp.enabled=false" })
class McpDisabledTests {

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Test
	void mcpIsNotFound() {
		Http.Response response = new Http(this.port, Map.of("Accept", "application/json, text/event-stream"))
			.postJson("/mcp", Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize"));
		assertThat(response.status()).isEqualTo(404);
		assertThat(this.context.containsBean("mcpServlet")).isFalse();
		assertThat(new Http(this.port).get("/api/v1/listeners").status()).isEqualTo(200);
	}

}
