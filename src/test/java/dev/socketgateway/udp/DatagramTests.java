package dev.socketgateway.udp;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.socketgateway.support.GatewayEndToEndTests;
import dev.socketgateway.support.SharedPeers;
import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.UdpEchoPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * UDP datagrams end to end against peers on 127.0.0.1.
 */
class DatagramTests extends GatewayEndToEndTests {

	static final UdpEchoPeer echo = SharedPeers.udpEcho();

	static final UdpEchoPeer sink = SharedPeers.udpSink();

	static final int closedPort = SharedPeers.closedUdpPort();

	@Test
	void fireIsAcceptedAndArrives() {
		int before = sink.datagrams();
		Response response = this.http.postJson("/api/v1/udp/datagrams",
				Map.of("host", "127.0.0.1", "port", sink.port(), "payload", "0a0b0c", "encoding", "hex"));
		assertThat(response.status()).as(response.toString()).isEqualTo(202);
		assertThat(response.json().path("bytesSent").asLong()).isEqualTo(3);
		await().until(() -> sink.datagrams() == before + 1);
	}

	@Test
	void answersLeaveInOnePieceWithAContentLength() {
		// Spring MVC flushes a ResponseEntity early, which made Tomcat send it chunked in
		// two writes; WholeResponseFilter holds the flush back.
		Response fired = this.http.postJson("/api/v1/udp/datagrams",
				Map.of("host", "127.0.0.1", "port", sink.port(), "payload", "x"));
		Response refused = this.http.postJson("/api/v1/udp/datagrams",
				Map.of("host", "127.0.0.1", "port", 1, "payload", "x"));
		for (Response response : List.of(fired, refused)) {
			assertThat(response.raw().headers().firstValue("transfer-encoding")).as(response.toString()).isEmpty();
			assertThat(response.header("content-length")).as(response.toString())
				.isEqualTo(Integer.toString(response.body().length));
		}
		assertThat(fired.status()).isEqualTo(202);
		assertThat(refused.status()).isEqualTo(403);
	}

	@Test
	void requestReplyReturnsTheReplyAndItsSender() {
		Response response = this.http.postJson("/api/v1/udp/datagrams",
				Map.of("target", SharedPeers.UDP_ECHO_TARGET, "payload", "ping", "awaitReply", true));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().path("bytesSent").asLong()).isEqualTo(4);
		assertThat(response.json().path("reply").path("payload").asString()).isEqualTo("ping");
		assertThat(response.json().path("reply").path("from").asString()).isEqualTo("127.0.0.1:" + echo.port());
		assertThat(response.json().has("durationMs")).isTrue();
	}

	@Test
	void silentPeerIsAReplyTimeoutThatSaysWhatToCheck() {
		Response response = this.http.postJson("/api/v1/udp/datagrams", Map.of("host", "127.0.0.1", "port", sink.port(),
				"payload", "hello?", "awaitReply", true, "replyTimeoutMs", 200));
		assertThat(response.status()).isEqualTo(504);
		assertThat(response.json().path("code").asString()).isEqualTo("REPLY_TIMEOUT");
		assertThat(response.json().path("detail").asString()).contains("firewall").contains("port");
	}

	@Test
	void portUnreachableIsRefused() {
		Response response = this.http.postJson("/api/v1/udp/datagrams", Map.of("host", "127.0.0.1", "port", closedPort,
				"payload", "hello?", "awaitReply", true, "replyTimeoutMs", 2000));
		assertThat(response.status()).as(response.toString()).isEqualTo(502);
		assertThat(response.json().path("code").asString()).isEqualTo("CONNECTION_REFUSED");
	}

	@Test
	void missingPayloadAndTcpTargetAreRejected() {
		Response missing = this.http.postJson("/api/v1/udp/datagrams", Map.of("target", SharedPeers.UDP_ECHO_TARGET));
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.json().path("detail").asString()).contains("payload");
	}

}
