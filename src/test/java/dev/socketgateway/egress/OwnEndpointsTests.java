package dev.socketgateway.egress;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link OwnEndpoints}.
 */
class OwnEndpointsTests {

	private final OwnEndpoints own = new OwnEndpoints(List.of(address("10.1.2.3"), address("2001:db8::5")));

	@Test
	void learnsHttpAndManagementPortsFromWebServerEvents() {
		this.own.onApplicationEvent(event(8080, null));
		this.own.onApplicationEvent(event(8081, "management"));
		this.own.onApplicationEvent(event(-1, null));
		assertThat(this.own.ports()).isEqualTo(Map.of(8080, "HTTP", 8081, "management"));
	}

	@Test
	void refusesOwnPortsOnOwnAddressesOnly() {
		this.own.onApplicationEvent(event(8080, null));
		this.own.onApplicationEvent(event(8081, "management"));
		assertThat(this.own.refusal(address("127.0.0.1"), 8080))
			.isEqualTo("127.0.0.1:8080 is this gateway's own HTTP port;"
					+ " the gateway never connects to its own HTTP or management port");
		assertThat(this.own.refusal(address("127.3.2.1"), 8081)).contains("own management port");
		assertThat(this.own.refusal(address("::1"), 8080)).startsWith("[::1]:8080 is this gateway's own HTTP port");
		assertThat(this.own.refusal(address("0.0.0.0"), 8080)).isNotNull();
		assertThat(this.own.refusal(address("::"), 8081)).isNotNull();
		assertThat(this.own.refusal(address("10.1.2.3"), 8080)).isNotNull();
		assertThat(this.own.refusal(address("2001:db8::5"), 8080)).isNotNull();
		assertThat(this.own.refusal(address("127.0.0.1"), 9000)).isNull();
		assertThat(this.own.refusal(address("10.1.2.4"), 8080)).isNull();
		assertThat(this.own.refusal(address("93.184.216.34"), 8080)).isNull();
	}

	@Test
	void refusesNothingBeforeAServerStarted() {
		assertThat(this.own.refusal(address("127.0.0.1"), 8080)).isNull();
	}

	@Test
	void enumeratesLocalInterfacesWithoutLookingUpNames() {
		OwnEndpoints system = new OwnEndpoints();
		system.onApplicationEvent(event(8080, null));
		assertThat(system.isOwnAddress(address("127.0.0.1"))).isTrue();
		assertThat(system.refusal(address("127.0.0.1"), 8080)).isNotNull();
	}

	static WebServerInitializedEvent event(int port, String namespace) {
		WebServer server = mock(WebServer.class);
		given(server.getPort()).willReturn(port);
		WebServerApplicationContext context = mock(WebServerApplicationContext.class);
		given(context.getServerNamespace()).willReturn(namespace);
		return new WebServerInitializedEvent(server) {

			@Override
			public WebServerApplicationContext getApplicationContext() {
				return context;
			}

		};
	}

	static InetAddress address(String literal) {
		InetAddress address = HostLiterals.parseLiteral(literal);
		assertThat(address).isNotNull();
		return address;
	}

}
