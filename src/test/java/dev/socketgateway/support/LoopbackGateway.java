package dev.socketgateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One gateway shared by the conversation and probe tests: ad-hoc targets allowed on
 * 127.0.0.1 only (127.0.0.2 stays refused), a client TLS bundle trusting a test CA made
 * once per JVM, and the management port on a free port.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"gateway.policy.allow[0]=127.0.0.1/32", "gateway.limits.max-probes=5",
		"gateway.probe-modules.banner.steps[0].expect=^220", "gateway.probe-modules.banner.steps[1].send=QUIT",
		"gateway.probe-modules.banner.steps[2].expect=^221", "gateway.probe-modules.banner.timeout=3s",
		"gateway.probes.from-config.host=127.0.0.1", "gateway.probes.from-config.port=1",
		"gateway.probes.from-config.interval=1s", "gateway.probes.from-config.steps[0].expect=^220",
		"gateway.probe-modules-file=src/test/resources/probe/blackbox.yml",
		"gateway.probe-modules.echo.steps[0].send=ping", "gateway.probe-modules.echo.steps[1].expect.equals=ping" })
public abstract class LoopbackGateway {

	private static TlsMaterial ca;

	private static Path dir;

	@LocalServerPort
	protected int port;

	@LocalManagementPort
	protected int managementPort;

	protected Http http;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry registry) {
		registry.add("spring.ssl.bundle.pem.upstream.truststore.certificate", () -> "file:" + testCa().caCertificate());
		registry.add("gateway.tls.client-bundle", () -> "upstream");
	}

	/**
	 * The CA the gateway's client bundle trusts, made once per JVM.
	 * @return the CA
	 */
	public static synchronized TlsMaterial testCa() {
		if (ca == null) {
			try {
				dir = Files.createTempDirectory("sg-loopback-tls");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			dir.toFile().deleteOnExit();
			ca = TlsMaterial.ca(dir, "loopback");
		}
		return ca;
	}

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

}
