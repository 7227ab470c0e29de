package dev.socketgateway.listener;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import io.micrometer.core.instrument.MeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of listener tests whose listeners reach real servers on ports chosen at run time
 * (redis-server, a proxy upstream): the policy allows all of 127.0.0.1, unlike the shared
 * end-to-end context, whose policy names each shared peer's port. Subclasses share one
 * cached context.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "gateway.policy.allow[0]=127.0.0.1/32" })
abstract class LoopbackListenerTests {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	Http http;

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

	JsonNode create(Map<String, Object> body) {
		Response response = this.http.postJson("/api/v1/listeners", body);
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return response.json();
	}

}
