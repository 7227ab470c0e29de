package dev.socketgateway.support;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of end-to-end tests over real sockets: the whole gateway on a random port with one
 * fixed property set pointing at {@link SharedPeers}, so every subclass shares one cached
 * Spring context. A subclass adds no properties of its own (that would start another
 * context); tests that need other limits keep their own set-up.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
public abstract class GatewayEndToEndTests {

	@LocalServerPort
	protected int port;

	protected Http http;

	@DynamicPropertySource
	static void sharedPeers(DynamicPropertyRegistry registry) {
		SharedPeers.register(registry);
	}

	@BeforeEach
	void sharedSetUp() {
		this.http = new Http(this.port);
		SharedPeers.held().forgetUntaken();
	}

}
