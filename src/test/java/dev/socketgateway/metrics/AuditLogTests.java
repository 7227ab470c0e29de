package dev.socketgateway.metrics;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.socketgateway.support.GatewayEndToEndTests;
import dev.socketgateway.support.SharedPeers;
import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.TcpPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One audit line per exchange, with request id, target, bytes, outcome and duration; the
 * payload never reaches the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditLogTests extends GatewayEndToEndTests {

	static final TcpPeer echo = SharedPeers.tcpEcho();

	@Test
	void exchangeIsAuditedWithoutItsPayload(CapturedOutput output) {
		String secret = "s3cr3t-payload-7f1c";
		Response response = new Http(this.port, Map.of("X-Request-Id", "audit-req-1")).postJson("/api/v1/tcp/exchange",
				Map.of("target", SharedPeers.TCP_ECHO_TARGET, "payload", secret));
		assertThat(response.status()).isEqualTo(200);
		await().until(() -> output.getAll().contains("requestId=audit-req-1"));
		String line = output.getAll()
			.lines()
			.filter((l) -> l.contains("requestId=audit-req-1"))
			.findFirst()
			.orElseThrow();
		assertThat(line).contains("action=tcp.exchange", "target=" + SharedPeers.TCP_ECHO_TARGET,
				"remote=127.0.0.1:" + echo.port(), "bytesSent=21", "bytesReceived=21", "outcome=ok", "durationMs=",
				"key=-");
		assertThat(output.getAll()).doesNotContain(secret);
	}

}
