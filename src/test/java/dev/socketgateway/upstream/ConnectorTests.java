package dev.socketgateway.upstream;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ssl.DefaultSslBundleRegistry;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.support.GatewayPropertiesFixture;
import dev.socketgateway.support.TcpPeer;
import dev.socketgateway.support.TlsMaterial;
import dev.socketgateway.support.TlsPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What {@link Connector} answers for each step that fails: the connect, a TLS handshake
 * that gets no answer, a certificate the trust material does not trust.
 */
class ConnectorTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final TlsClients tls = new TlsClients(new DefaultSslBundleRegistry(), GatewayPropertiesFixture.bind());

	@Test
	void refusedConnectSaysNothingListens() throws IOException {
		int port;
		try (ServerSocket closed = new ServerSocket(0, 1, LOOPBACK)) {
			port = closed.getLocalPort();
		}
		GatewayException problem = problem(port, 2000, null);
		assertThat(problem.code()).isEqualTo(ErrorCode.CONNECTION_REFUSED);
		assertThat(problem.getMessage()).contains("nothing listens");
	}

	@Test
	void silentPlaintextServerIsAHandshakeWithoutAnswerNotADeadHost() throws IOException {
		try (TcpPeer silent = TcpPeer.start((socket, in, out) -> in.transferTo(OutputStream.nullOutputStream()))) {
			GatewayException problem = problem(silent.port(), 300, this.tls.socketFactory(null));
			assertThat(problem.code()).isEqualTo(ErrorCode.CONNECT_TIMEOUT);
			assertThat(problem.getMessage()).contains("TCP connected")
				.contains("TLS handshake got no answer within 300 ms")
				.contains("is it a TLS port?")
				.doesNotContain("host is up");
		}
	}

	@Test
	void untrustedCertificateNamesTheJdkTrustStore(@TempDir Path dir) throws IOException {
		TlsMaterial rogue = TlsMaterial.ca(dir, "rogue");
		try (TlsPeer peer = TlsPeer.echo(rogue.server("rogue", "IP:127.0.0.1").serverContext())) {
			GatewayException problem = problem(peer.port(), 5000, this.tls.socketFactory(null));
			assertThat(problem.code()).isEqualTo(ErrorCode.TLS_HANDSHAKE_FAILED);
			assertThat(problem.getMessage()).contains("not trusted by the JDK trust store");
		}
	}

	@Test
	void trustIsDescribedByWhereTheBundleCameFrom() {
		TlsClients withClientBundle = new TlsClients(new DefaultSslBundleRegistry(),
				GatewayPropertiesFixture.bind("gateway.tls.client-bundle=corp"));
		assertThat(withClientBundle.describe("corp")).isEqualTo("SSL bundle 'corp' (gateway.tls.client-bundle)");
		assertThat(withClientBundle.describe("billing")).isEqualTo("SSL bundle 'billing' (the target's tls-bundle)");
		assertThat(withClientBundle.describe(null)).isEqualTo("the JDK trust store");
	}

	private GatewayException problem(int port, int timeoutMs, javax.net.ssl.SSLSocketFactory sockets) {
		UpstreamConnectException failure = catchThrowableOfType(UpstreamConnectException.class,
				() -> Connector.open(LOOPBACK, port, timeoutMs, sockets, "127.0.0.1").channel().close());
		assertThat(failure).as("the connect must fail").isNotNull();
		return failure.problem();
	}

}
