package dev.socketgateway.conversation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.LoopbackGateway;
import dev.socketgateway.support.OpenSslServer;
import dev.socketgateway.support.PrometheusText;
import dev.socketgateway.support.RequiredBinary;
import dev.socketgateway.support.ServerProcess;
import dev.socketgateway.support.TlsMaterial.ServerCertificate;
import dev.socketgateway.support.UdpEchoPeer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/conversations} against real servers started by the test: aiosmtpd
 * (banner, multi-line EHLO, STARTTLS, QUIT), redis-server (captures carried into later
 * sends) and a loopback UDP echo peer.
 */
class ConversationTests extends LoopbackGateway {

	static ServerProcess smtp;

	static ServerProcess redis;

	static UdpEchoPeer udp;

	@BeforeAll
	static void servers() {
		ServerCertificate certificate = testCa().server("smtp", "DNS:localhost,IP:127.0.0.1");
		int smtpPort = ServerProcess.freePort();
		smtp = ServerProcess.start(smtpPort,
				List.of(ServerProcess.python().toString(), "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + smtpPort,
						"--tlscert", certificate.certificate().toString(), "--tlskey", certificate.key().toString(),
						"--no-requiretls"));
		int redisPort = ServerProcess.freePort();
		redis = ServerProcess.start(redisPort, List.of(RequiredBinary.find("redis-server").toString(), "--port",
				Integer.toString(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
		try {
			udp = new UdpEchoPeer(true);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@AfterAll
	static void stop() {
		smtp.close();
		redis.close();
		udp.close();
	}

	private Response converse(Map<String, Object> body) {
		return this.http.postJson("/api/v1/conversations", body);
	}

	private Map<String, Object> tcp(int port, List<Map<String, Object>> steps) {
		return Map.of("host", "127.0.0.1", "port", port, "steps", steps);
	}

	@Test
	void smtpBannerMultiLineEhloAndQuit() {
		Response response = converse(tcp(smtp.port(),
				List.of(Map.of("name", "banner", "expect", "^220 (?P<server>\\S+)", "capture", true),
						Map.of("send", "EHLO gateway.test"), Map.of("expect", Map.of("prefix", "250 ")),
						Map.of("send", "QUIT"), Map.of("expect", "^221"), Map.of("expectClose", true))));
		assertThat(response.status()).isEqualTo(200);
		JsonNode json = response.json();
		assertThat(json.get("ok").asBoolean()).as(json.toString()).isTrue();
		assertThat(json.get("failedStep").isNull()).isTrue();
		assertThat(json.get("error").isNull()).isTrue();
		JsonNode steps = json.get("steps");
		assertThat(steps).hasSize(6);
		assertThat(steps.get(0).get("name").asString()).isEqualTo("banner");
		assertThat(steps.get(0).get("action").asString()).isEqualTo("expect");
		assertThat(steps.get(0).get("captures").get("server").asString()).isNotBlank();
		assertThat(json.get("vars").get("server").asString())
			.isEqualTo(steps.get(0).get("captures").get("server").asString());
		// "EHLO gateway.test\r\n" is 19 wire bytes, "QUIT\r\n" 6
		assertThat(steps.get(1).get("bytesSent").asLong()).isEqualTo(19);
		assertThat(steps.get(3).get("bytesSent").asLong()).isEqualTo(6);
		assertThat(json.get("bytesSent").asLong()).isEqualTo(25);
		// the EHLO answer's continuation lines (250-...) are passed over
		assertThat(steps.get(2).get("skipped").asInt()).isGreaterThanOrEqualTo(2);
		assertThat(steps.get(2).get("payload").get("payload").asString()).startsWith("250 ");
		assertThat(steps.get(4).get("payload").get("payload").asString()).startsWith("221");
		long received = 0;
		for (JsonNode step : steps) {
			if (step.has("payload")) {
				received += step.get("payload").get("payload").asString().length() + 2;
			}
		}
		assertThat(json.get("bytesReceived").asLong()).isGreaterThan(received);
		assertThat(json.get("remote").asString()).isEqualTo("127.0.0.1:" + smtp.port());
	}

	@Test
	void replyCodeFramingMakesTheWholeEhloAnswerOneFrame() {
		Map<String, Object> body = new java.util.HashMap<>(
				tcp(smtp.port(), List.of(Map.of("expect", "^220"), Map.of("send", "EHLO gateway.test"),
						Map.of("expect", "(?s)^250-.*\r\n250 "), Map.of("send", "QUIT"), Map.of("expect", "^221"))));
		body.put("framing", "reply-code");
		JsonNode json = converse(body).json();
		assertThat(json.get("ok").asBoolean()).as(json.toString()).isTrue();
		JsonNode ehlo = json.get("steps").get(2);
		// one frame: nothing passed over, every 250- line and the final 250 line inside
		// it
		assertThat(ehlo.get("skipped").asInt()).isZero();
		assertThat(ehlo.get("payload").get("payload").asString()).startsWith("250-")
			.contains("\r\n250 ")
			.doesNotEndWith("\r\n");
	}

	@Test
	void smtpStartTlsUpgradesAndTheServerAnswersOverTls() {
		Response response = converse(tcp(smtp.port(),
				List.of(Map.of("expect", "^220"), Map.of("send", "EHLO gateway.test"),
						Map.of("expect", "^250 ", "reject", "^5"), Map.of("send", "STARTTLS"), Map.of("expect", "^220"),
						Map.of("starttls", true), Map.of("send", "EHLO gateway.test"),
						Map.of("expect", "^250 ", "reject", "STARTTLS"), Map.of("send", "QUIT"),
						Map.of("expect", "^221"))));
		JsonNode json = response.json();
		assertThat(json.get("ok").asBoolean()).as(json.toString()).isTrue();
		assertThat(json.get("steps").get(5).get("action").asString()).isEqualTo("starttls");
	}

	@Test
	void tlsFromTheStartAgainstOpenSsl() {
		// openssl s_server -rev answers each line reversed, over TLS with a certificate
		// of
		// the CA that the gateway's client bundle trusts
		try (OpenSslServer server = OpenSslServer.start(testCa().server("rev", "DNS:localhost,IP:127.0.0.1"))) {
			Response response = converse(Map.of("host", "127.0.0.1", "port", server.port(), "tls", true, "framing",
					"lf", "steps", List.of(Map.of("send", "hello"), Map.of("expect", Map.of("equals", "olleh")))));
			JsonNode json = response.json();
			assertThat(json.get("ok").asBoolean()).as(json.toString()).isTrue();
			// plaintext bytes: "hello\n"
			assertThat(json.get("bytesSent").asLong()).isEqualTo(6);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void redisCaptureCarriedIntoALaterSend() throws IOException {
		String key = "conv-" + System.nanoTime();
		Response response = converse(tcp(redis.port(),
				List.of(Map.of("send", "INCR " + key), Map.of("expect", "^:(?P<count>\\d+)$", "capture", true),
						Map.of("send", "SET " + key + "-copy ${count}"), Map.of("expect", Map.of("equals", "+OK")),
						Map.of("send", "GET " + key + "-copy"), Map.of("expect", Map.of("prefix", "$")),
						Map.of("expect", Map.of("equals", "${count}")))));
		JsonNode json = response.json();
		assertThat(json.get("ok").asBoolean()).as(json.toString()).isTrue();
		assertThat(json.get("vars").get("count").asString()).isEqualTo("1");
		assertThat(json.get("steps").get(1).get("captures").get("count").asString()).isEqualTo("1");
		assertThat(json.get("steps").get(2).get("bytesSent").asLong())
			.isEqualTo(("SET " + key + "-copy 1\r\n").length());
		// what redis itself now holds
		assertThat(redisCommand("GET " + key + "-copy")).isEqualTo("$1\r\n1\r\n");
	}

	@Test
	void templateEscapeWritesALiteralDollarBrace() {
		Response response = converse(tcp(redis.port(), List.of(Map.of("send", "ECHO $${x}"),
				Map.of("expect", Map.of("equals", "$4")), Map.of("expect", Map.of("equals", "$${x}")))));
		JsonNode json = response.json();
		assertThat(json.get("ok").asBoolean()).as(json.toString()).isTrue();
		assertThat(json.get("steps").get(0).get("bytesSent").asLong()).isEqualTo("ECHO ${x}\r\n".length());
	}

	@Test
	void udpDatagramsEachAFrame() {
		Response response = converse(Map.of("protocol", "udp", "host", "127.0.0.1", "port", udp.port(), "steps",
				List.of(Map.of("send", "ping"), Map.of("expect", Map.of("equals", "ping")),
						Map.of("send", "cafe01", "encoding", "hex"),
						Map.of("expect", Map.of("hexPrefix", "CA:FE"), "encoding", "hex"))));
		JsonNode json = response.json();
		assertThat(json.get("ok").asBoolean()).as(json.toString()).isTrue();
		assertThat(json.get("bytesSent").asLong()).isEqualTo(7);
		assertThat(json.get("bytesReceived").asLong()).isEqualTo(7);
		assertThat(json.get("steps").get(3).get("payload").get("payload").asString()).isEqualTo("cafe01");
		assertThat(json.get("steps").get(3).get("payload").get("encoding").asString()).isEqualTo("hex");
	}

	@Test
	void dnsOverUdpAgainstDnsmasq() {
		int port = ServerProcess.freePort();
		try (ServerProcess dns = ServerProcess.start(port,
				List.of(RequiredBinary.find("dnsmasq").toString(), "--no-daemon", "--port=" + port,
						"--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
						"--address=/probe.test/127.0.0.7", "--pid-file=",
						"--user=" + System.getProperty("user.name")))) {
			// id 0x1234, recursion desired, one question: probe.test A IN
			String query = "1234 0100 0001 0000 0000 0000 05 70726f6265 04 74657374 00 0001 0001";
			Response response = converse(Map.of("protocol", "udp", "host", "127.0.0.1", "port", port, "encoding", "hex",
					"steps", List.of(Map.of("send", query), Map.of("expect", Map.of("hexPrefix", "1234")))));
			JsonNode json = response.json();
			assertThat(json.get("ok").asBoolean()).as(json.toString()).isTrue();
			assertThat(json.get("bytesSent").asLong()).isEqualTo(28);
			// the answer's A record: 127.0.0.7
			assertThat(json.get("steps").get(1).get("payload").get("payload").asString()).endsWith("7f000007");
		}
	}

	@Test
	void rejectMatchedFailsThatStep() {
		Response response = converse(tcp(redis.port(),
				List.of(Map.of("send", "GET"), Map.of("expect", "^\\+OK", "reject", "^-ERR"), Map.of("send", "PING"))));
		assertThat(response.status()).isEqualTo(200);
		JsonNode json = response.json();
		assertThat(json.get("ok").asBoolean()).isFalse();
		assertThat(json.get("failedStep").asInt()).isEqualTo(1);
		assertThat(json.get("error").get("code").asString()).isEqualTo("REJECTED");
		assertThat(json.get("steps")).hasSize(2);
		assertThat(json.get("steps").get(1).get("ok").asBoolean()).isFalse();
		assertThat(json.get("steps").get(1).get("payload").get("payload").asString()).startsWith("-ERR");
	}

	@Test
	void expectTimeoutCountsTheFramesPassedOver() {
		Response response = converse(tcp(redis.port(), List.of(Map.of("send", "PING"), Map.of("send", "PING"),
				Map.of("expect", "^\\+NEVER", "timeoutMs", 300))));
		JsonNode json = response.json();
		assertThat(json.get("ok").asBoolean()).isFalse();
		assertThat(json.get("failedStep").asInt()).isEqualTo(2);
		assertThat(json.get("error").get("code").asString()).isEqualTo("REPLY_TIMEOUT");
		assertThat(json.get("error").get("detail").asString()).contains("300 ms");
		assertThat(json.get("steps").get(2).get("skipped").asInt()).isEqualTo(2);
		assertThat(json.get("steps").get(2).get("durationMs").asLong()).isBetween(250L, 5000L);
	}

	@Test
	void peerClosedBeforeAMatch() {
		Response response = converse(tcp(redis.port(),
				List.of(Map.of("send", "QUIT"), Map.of("expect", "^\\+OK"), Map.of("expect", "more"))));
		JsonNode json = response.json();
		assertThat(json.get("ok").asBoolean()).isFalse();
		assertThat(json.get("failedStep").asInt()).isEqualTo(2);
		assertThat(json.get("error").get("code").asString()).isEqualTo("PEER_CLOSED");
	}

	@Test
	void expectCloseWhenThePeerStaysOpenIsAReplyTimeout() {
		Response response = converse(
				tcp(redis.port(), List.of(Map.of("send", "PING"), Map.of("expectClose", true, "timeoutMs", 300))));
		JsonNode json = response.json();
		assertThat(json.get("failedStep").asInt()).isEqualTo(1);
		assertThat(json.get("error").get("code").asString()).isEqualTo("REPLY_TIMEOUT");
		assertThat(json.get("steps").get(1).get("skipped").asInt()).isEqualTo(1);
	}

	@Test
	void connectRefusedHasNoFailedStep() {
		int closed = ServerProcess.freePort();
		Response response = converse(tcp(closed, List.of(Map.of("expect", "^220"))));
		assertThat(response.status()).isEqualTo(200);
		JsonNode json = response.json();
		assertThat(json.get("ok").asBoolean()).isFalse();
		assertThat(json.get("failedStep").isNull()).isTrue();
		assertThat(json.get("error").get("code").asString()).isEqualTo("CONNECTION_REFUSED");
		assertThat(json.get("steps")).isEmpty();
	}

	@Test
	void refusedTargetIs403BeforeConnecting() {
		Response response = converse(
				Map.of("host", "127.0.0.2", "port", redis.port(), "steps", List.of(Map.of("send", "PING"))));
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).isEqualTo("TARGET_FORBIDDEN");
	}

	@Test
	void aStepWithTwoActionsIsNamed() {
		Response response = converse(
				tcp(redis.port(), List.of(Map.of("send", "PING"), Map.of("send", "PING", "expect", "PONG"))));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("code").asString()).isEqualTo("VALIDATION_FAILED");
		assertThat(response.json().get("detail").asString()).startsWith("steps[1]:");
	}

	@Test
	void invalidConversationsAre400NamingTheField() {
		assertThat(converse(tcp(redis.port(), List.of())).json().get("detail").asString()).startsWith("steps:");
		assertThat(converse(tcp(redis.port(), List.of(Map.of("send", "GET ${nope}")))).json().get("detail").asString())
			.startsWith("steps[0].send:");
		assertThat(converse(tcp(redis.port(), List.of(Map.of("expect", "(unclosed")))).json().get("detail").asString())
			.startsWith("steps[0].expect:");
		assertThat(converse(tcp(redis.port(), List.of(Map.of("expect", "x(?=y)")))).status()).isEqualTo(400);
		assertThat(converse(tcp(redis.port(), List.of(Map.of("expect", Map.of("prefix", "a", "contains", "b"))))).json()
			.get("detail")
			.asString()).startsWith("steps[0].expect:");
		assertThat(converse(tcp(redis.port(), List.of(Map.of("send", "x", "reject", "y")))).json()
			.get("detail")
			.asString()).startsWith("steps[0].reject:");
		Response unknown = converse(tcp(redis.port(), List.of(Map.of("send", "x", "bogus", 1))));
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.json().get("detail").asString()).contains("bogus");
		assertThat(converse(Map.of("host", "127.0.0.1", "port", redis.port(), "timeoutMs", 300_001, "steps",
				List.of(Map.of("send", "x"))))
			.json()
			.get("detail")
			.asString()).startsWith("timeoutMs:");
	}

	@Test
	void tooLargeASendIs413() {
		Response response = converse(tcp(redis.port(), List.of(Map.of("send", "a".repeat(1024 * 1024 + 1)))));
		assertThat(response.status()).isEqualTo(413);
		assertThat(response.json().get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
	}

	@Test
	void conversationsAreMetered() {
		String[] labels = { "outcome", "ok", "protocol", "udp", "target", "adhoc" };
		String name = "gateway_conversation_duration_seconds_count";
		double before = PrometheusText.parse(scrape()).sum(name, labels);
		double bytesBefore = PrometheusText.parse(scrape())
			.sum("gateway_bytes_sent_total", "protocol", "udp", "target", "adhoc");
		udpDatagramsEachAFrame();
		assertThat(PrometheusText.parse(scrape()).sum(name, labels)).isEqualTo(before + 1);
		assertThat(PrometheusText.parse(scrape()).sum("gateway_bytes_sent_total", "protocol", "udp", "target", "adhoc"))
			.isEqualTo(bytesBefore + 7);
	}

	private String scrape() {
		return new dev.socketgateway.support.Http(this.managementPort).get("/actuator/prometheus").text();
	}

	private static String redisCommand(String command) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), redis.port())) {
			OutputStream out = socket.getOutputStream();
			out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			socket.setSoTimeout(5000);
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[256];
			int n = in.read(buffer);
			String first = new String(buffer, 0, n, StandardCharsets.US_ASCII);
			if (first.startsWith("$") && first.indexOf("\r\n") == first.length() - 2) {
				n = in.read(buffer);
				first += new String(buffer, 0, n, StandardCharsets.US_ASCII);
			}
			return first;
		}
	}

}
