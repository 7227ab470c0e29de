package dev.socketgateway.security;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

import dev.socketgateway.SocketGatewayApplication;
import dev.socketgateway.support.TcpPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code server.shutdown=graceful}: an exchange in flight when the context closes still
 * gets its reply.
 */
class GracefulShutdownTests {

	@Test
	void inflightExchangeFinishesWhileTheContextCloses() throws Exception {
		CountDownLatch requestArrived = new CountDownLatch(1);
		CountDownLatch replyNow = new CountDownLatch(1);
		CountDownLatch closing = new CountDownLatch(1);
		try (TcpPeer peer = TcpPeer.start((socket, in, out) -> {
			in.read(new byte[64]);
			requestArrived.countDown();
			try {
				replyNow.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			out.write("done\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			in.read(new byte[64]);
		})) {
			SpringApplication application = new SpringApplication(SocketGatewayApplication.class);
			application.addListeners((event) -> {
				if (event instanceof ContextClosedEvent) {
					closing.countDown();
				}
			});
			// Command-line arguments: application.yml would win over default properties
			// (8080).
			ConfigurableApplicationContext context = application.run("--server.port=0", "--management.server.port=0",
					"--gateway.policy.allow[0]=127.0.0.1/32:" + peer.port());
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			HttpRequest request = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tcp/exchange"))
				.header("Content-Type", "application/json")
				.timeout(Duration.ofSeconds(60))
				.POST(HttpRequest.BodyPublishers.ofString("{\"host\":\"127.0.0.1\",\"port\":" + peer.port()
						+ ",\"payload\":\"go\",\"replyTimeoutMs\":30000}"))
				.build();
			CompletableFuture<HttpResponse<String>> exchange = HttpClient.newHttpClient()
				.sendAsync(request, HttpResponse.BodyHandlers.ofString());
			assertThat(requestArrived.await(30, TimeUnit.SECONDS)).isTrue();
			Thread closer = new Thread(context::close, "context-closer");
			closer.start();
			assertThat(closing.await(30, TimeUnit.SECONDS)).isTrue();
			// graceful shutdown has begun once the connector stops taking new connections
			await().atMost(Duration.ofSeconds(20)).until(() -> refuses(port));
			replyNow.countDown();
			HttpResponse<String> response = exchange.get(30, TimeUnit.SECONDS);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			assertThat(response.body()).contains("\"payload\":\"done\"");
			closer.join(30_000);
			assertThat(context.isActive()).isFalse();
		}
	}

	private static boolean refuses(int port) {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

}
