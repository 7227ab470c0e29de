package dev.socketgateway.metrics;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.TcpPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One audit line per exchange, with request id, target, bytes, outcome and duration; the
 * payload never reaches the log.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ExtendWith(OutputCaptureExtension.class)
class AuditLogTests {

	static TcpPeer echo;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) throws IOException {
		echo = TcpPeer.echo();
		registry.add("gateway.targets.audited.host", () -> "127.0.0.1");
		registry.add("gateway.targets.audited.port", echo::port);
	}

	@AfterAll
	static void close() throws IOException {
		echo.close();
	}

	@Test
	void exchangeIsAuditedWithoutItsPayload(CapturedOutput output) {
		String secret = "s3cr3t-payload-7f1c";
		Response response = new Http(this.port, Map.of("X-Request-Id", "audit-req-1")).postJson("/api/v1/tcp/exchange",
				Map.of("target", "audited", "payload", secret));
		assertThat(response.status()).isEqualTo(200);
		await().until(() -> output.getAll().contains("requestId=audit-req-1"));
		String line = output.getAll()
			.lines()
			.filter((l) -> l.contains("requestId=audit-req-1"))
			.findFirst()
			.orElseThrow();
		assertThat(line).contains("action=tcp.exchange", "target=audited", "remote=127.0.0.1:" + echo.port(),
				"bytesSent=21", "bytesReceived=21", "outcome=ok", "durationMs=", "key=-");
		assertThat(output.getAll()).doesNotContain(secret);
	}

}
