package dev.socketgateway.session;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.socketgateway.SocketGatewayApplication;
import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.TcpPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * On shutdown, open sessions close with reason {@code shutdown} (the peer sees the close)
 * and listeners stop: their clients are closed and their ports freed.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownClosesSessionsTests {

	@Test
	void sessionsCloseAndListenersStop(CapturedOutput output) throws Exception {
		CountDownLatch peerSawClose = new CountDownLatch(1);
		try (TcpPeer peer = TcpPeer.start((socket, in, out) -> {
			while (in.read() >= 0) {
				// read until the gateway closes
			}
			peerSawClose.countDown();
		})) {
			SpringApplication application = new SpringApplication(SocketGatewayApplication.class);
			// Command-line arguments: application.yml would win over default properties
			// (8080).
			ConfigurableApplicationContext context = application.run("--server.port=0", "--management.server.port=0",
					"--gateway.policy.allow[0]=127.0.0.1/32:" + peer.port());
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			Http http = new Http(port);
			Response session = http.postJson("/api/v1/tcp/connections",
					Map.of("host", "127.0.0.1", "port", peer.port()));
			assertThat(session.status()).as(session.toString()).isEqualTo(201);
			Response listener = http.postJson("/api/v1/listeners", Map.of("protocol", "tcp", "port", 0));
			assertThat(listener.status()).as(listener.toString()).isEqualTo(201);
			int listenerPort = listener.json().path("port").asInt();
			try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listenerPort)) {
				org.awaitility.Awaitility.await()
					.until(() -> http.get("/api/v1/listeners/" + listener.json().path("id").asString())
						.json()
						.path("clients")
						.asInt() == 1);
				context.close();
				assertThat(peerSawClose.await(30, TimeUnit.SECONDS)).as("the session's peer saw the close").isTrue();
				client.setSoTimeout(30_000);
				InputStream in = client.getInputStream();
				assertThat(in.read()).as("the listener's client was closed").isEqualTo(-1);
			}
			assertThatExceptionOfType(ConnectException.class)
				.isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), listenerPort).close());
			assertThat(output.getAll()).containsPattern("action=session.close .*outcome=shutdown");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
