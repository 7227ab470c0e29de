package dev.socketgateway.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.convention.TestBean;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link Targets} in the running application: the own-port refusal learns the real HTTP
 * and management ports (the latter from the management child context), and the resolver
 * is a test bean, so no name is looked up. Nothing is connected.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "gateway.policy.allow[0]=127.0.0.0/8",
				"gateway.targets.echo-tcp.host=echo.test", "gateway.targets.echo-tcp.port=9000" })
class TargetsIntegrationTests {

	@TestBean
	HostResolver hostResolver;

	@Autowired
	Targets targets;

	@LocalServerPort
	int httpPort;

	@LocalManagementPort
	int managementPort;

	static HostResolver hostResolver() {
		return (host) -> {
			if (host.equals("echo.test")) {
				return List.of(InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 }));
			}
			throw new UnknownHostException(host);
		};
	}

	@Test
	void ownHttpAndManagementPortsAreRefused() {
		assertThat(this.managementPort).isNotEqualTo(this.httpPort);
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> this.targets.resolve(new TargetRequest(null, "127.0.0.1", this.httpPort), Protocol.TCP))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.TARGET_FORBIDDEN))
			.withMessage("127.0.0.1:" + this.httpPort + " is this gateway's own HTTP port;"
					+ " the gateway never connects to its own HTTP or management port");
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(
					() -> this.targets.resolve(new TargetRequest(null, "127.0.0.1", this.managementPort), Protocol.TCP))
			.withMessageContaining("own management port");
	}

	@Test
	void otherLoopbackPortsFollowThePolicy() {
		int other = (this.httpPort == 65535) ? 1 : this.httpPort + 1;
		if (other == this.managementPort) {
			other = (other == 65535) ? 2 : other + 1;
		}
		assertThat(this.targets.resolve(new TargetRequest(null, "127.0.0.1", other), Protocol.TCP).addresses())
			.extracting(HostLiterals::toText)
			.containsExactly("127.0.0.1");
	}

	@Test
	void namesGoThroughTheInjectedResolver() {
		assertThat(this.targets.resolve(new TargetRequest("echo-tcp", null, null), Protocol.TCP).addresses())
			.extracting(HostLiterals::toText)
			.containsExactly("127.0.0.1");
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> this.targets.resolve(new TargetRequest(null, "nowhere.test", 80), Protocol.TCP))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.UNKNOWN_HOST));
	}

}
