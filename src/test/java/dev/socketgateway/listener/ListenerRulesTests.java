package dev.socketgateway.listener;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.socketgateway.support.Http.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Rules listeners end to end: real clients (redis-cli, Python's smtplib, dig, Java
 * sockets) against listeners whose rules were posted with JSON.
 */
class ListenerRulesTests extends LoopbackListenerTests {

	JsonNode messages(String id, int atLeast) {
		List<JsonNode> all = new ArrayList<>();
		long after = 0;
		while (all.size() < atLeast) {
			JsonNode page = this.http.get("/api/v1/listeners/" + id + "/messages?waitMs=10000&after=" + after).json();
			if (page.path("messages").isEmpty()) {
				break;
			}
			page.path("messages").forEach(all::add);
			after = page.path("next").asLong();
		}
		return tools.jackson.databind.json.JsonMapper.builder().build().valueToTree(all);
	}

	static Socket connect(int port) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
		socket.setSoTimeout(10_000);
		return socket;
	}

	static void write(Socket socket, String text) throws IOException {
		socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
		socket.getOutputStream().flush();
	}

	static Map<String, Object> rule(Map<String, Object> match, Object... payloads) {
		return Map.of("match", match, "respond", Arrays.stream(payloads).map((p) -> Map.of("payload", p)).toList());
	}

	@Test
	void redisCliPingIsAnsweredPongByARule() throws Exception {
		JsonNode listener = create(
				Map.of("protocol", "tcp", "mode", "rules", "rules", List.of(rule(Map.of("equals", "PING"), "+PONG"))));
		String id = listener.path("id").asString();
		assertThat(listener.path("mode").asString()).isEqualTo("rules");
		Tools.Result result = Tools.run("redis-cli", "-h", "127.0.0.1", "-p",
				String.valueOf(listener.path("port").asInt()), "PING");
		assertThat(result.output().trim()).isEqualTo("PONG");
		// redis-cli sends a RESP array: with crlf framing that is three frames
		JsonNode recorded = messages(id, 3);
		assertThat(recorded.findValuesAsString("payload")).containsExactly("*1", "$4", "PING");
		assertThat(recorded.get(0).path("rule").isNull()).isTrue();
		assertThat(recorded.get(2).path("rule").asInt()).isZero();
		this.http.delete("/api/v1/listeners/" + id);
	}

	@Test
	void pythonsSmtplibSendsAMailToARulesListenerThatPlaysAnSmtpServer() throws Exception {
		List<Object> rules = List.of(rule(Map.of("regex", "(?i)^(EHLO|HELO) "), "250-mock.test", "250 8BITMIME"),
				rule(Map.of("regex", "(?i)^MAIL FROM:<(?P<from>[^>]*)>"), "250 2.1.0 sender ${from} ok"),
				rule(Map.of("regex", "(?i)^RCPT TO:"), "250 2.1.5 ok"),
				rule(Map.of("regex", "(?i)^DATA$"), "354 end data with <CR><LF>.<CR><LF>"),
				rule(Map.of("equals", "."), "250 2.0.0 queued"), Map.of("match", Map.of("regex", "(?i)^QUIT$"),
						"respond", List.of(Map.of("payload", "221 2.0.0 bye")), "then", "close"));
		JsonNode listener = create(
				Map.of("protocol", "tcp", "mode", "rules", "greeting", "220 mock.test ESMTP", "rules", rules));
		String id = listener.path("id").asString();
		String script = """
				import smtplib, sys
				s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=10)
				refused = s.sendmail('alice@example.test', ['bob@example.test'], 'Subject: hi\\r\\n\\r\\nhello bob\\r\\n')
				print('refused', refused)
				s.quit()
				print('sent')
				""";
		Tools.Result result = Tools.run("python3", "-c", script, String.valueOf(listener.path("port").asInt()));
		assertThat(result.output()).as(result.output()).contains("refused {}", "sent");
		assertThat(result.exit()).isZero();
		JsonNode recorded = messages(id, 8);
		List<String> payloads = recorded.findValuesAsString("payload");
		assertThat(payloads).contains("mail FROM:<alice@example.test>", "rcpt TO:<bob@example.test>", "data",
				"hello bob", ".", "quit");
		// body lines answer nothing: no rule matched them
		JsonNode body = recorded.get(payloads.indexOf("hello bob"));
		assertThat(body.path("rule").isNull()).isTrue();
		assertThat(recorded.get(payloads.indexOf(".")).path("rule").asInt()).isEqualTo(4);
		this.http.delete("/api/v1/listeners/" + id);
	}

	@Test
	void digGetsAPreparedDnsAnswerCarryingItsQueryId() throws Exception {
		// The answer copies the query's id and question through hexRegex groups.
		String question = "076578616d706c65047465737400" + "00010001";
		Map<String, Object> dns = Map.of("match",
				Map.of("hexRegex", "^(?P<id>[0-9a-f]{4})[0-9a-f]{4}0001[0-9a-f]{12}(?P<q>" + question + ")"), "respond",
				List.of(Map.of("encoding", "hex", "payload",
						"${id} 8180 0001 0001 0000 0000 ${q} c00c 0001 0001 0000003c 0004 c0000201")));
		JsonNode listener = create(Map.of("protocol", "udp", "mode", "rules", "rules", List.of(dns)));
		String id = listener.path("id").asString();
		Tools.Result result = Tools.run("dig", "@127.0.0.1", "-p", String.valueOf(listener.path("port").asInt()),
				"example.test", "A", "+tries=1", "+time=5");
		assertThat(result.output()).as(result.output()).contains("status: NOERROR");
		assertThat(result.output()).containsPattern("example\\.test\\.\\s+60\\s+IN\\s+A\\s+192\\.0\\.2\\.1");
		Tools.Result other = Tools.run("dig", "@127.0.0.1", "-p", String.valueOf(listener.path("port").asInt()),
				"other.test", "A", "+tries=1", "+time=1");
		assertThat(other.output()).contains("timed out");
		JsonNode recorded = messages(id, 2);
		assertThat(recorded.get(0).path("rule").asInt()).isZero();
		assertThat(recorded.get(0).path("connectionId").isNull()).isTrue();
		assertThat(recorded.get(1).path("rule").isNull()).isTrue();
		this.http.delete("/api/v1/listeners/" + id);
	}

	@Test
	void resetIsAConnectionResetCloseIsEofAfterTheAnswerAndNoRespondIsAReadTimeout() throws Exception {
		JsonNode listener = create(Map.of("protocol", "tcp", "mode", "rules", "rules",
				List.of(Map.of("match", Map.of("equals", "boom"), "respond", List.of(Map.of("payload", "bye")), "then",
						"reset"),
						Map.of("match", Map.of("equals", "quit"), "respond", List.of(Map.of("payload", "bye")), "then",
								"close"),
						Map.of("match", Map.of("equals", "hush")))));
		int bound = listener.path("port").asInt();
		try (Socket socket = connect(bound)) {
			write(socket, "boom\r\n");
			InputStream in = socket.getInputStream();
			assertThatExceptionOfType(SocketException.class).isThrownBy(() -> {
				while (in.read() >= 0) {
					// bytes of the answer, if they arrive before the reset
				}
			}).withMessageContaining("Connection reset");
		}
		try (Socket socket = connect(bound)) {
			write(socket, "quit\r\n");
			byte[] all = socket.getInputStream().readAllBytes();
			assertThat(new String(all, StandardCharsets.UTF_8)).isEqualTo("bye\r\n");
		}
		try (Socket socket = connect(bound)) {
			socket.setSoTimeout(700);
			write(socket, "hush\r\n");
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> socket.getInputStream().read());
		}
		JsonNode recorded = messages(listener.path("id").asString(), 3);
		assertThat(recorded.findValuesAsString("payload")).containsExactly("boom", "quit", "hush");
		assertThat(recorded.findValues("rule").stream().map(JsonNode::asInt).toList()).containsExactly(0, 1, 2);
		this.http.delete("/api/v1/listeners/" + listener.path("id").asString());
	}

	@Test
	void aDripArrivesInTheConfiguredPiecesOverTheConfiguredTime() throws Exception {
		JsonNode listener = create(Map.of("protocol", "tcp", "mode", "rules", "rules", List
			.of(Map.of("respond", List.of(Map.of("payload", "hello world", "chunkBytes", 4, "chunkDelayMs", 250))))));
		try (Socket socket = connect(listener.path("port").asInt())) {
			long start = System.nanoTime();
			write(socket, "go\r\n");
			InputStream in = socket.getInputStream();
			List<String> pieces = new ArrayList<>();
			byte[] buffer = new byte[64];
			int total = 0;
			while (total < 13) {
				int n = in.read(buffer);
				assertThat(n).isPositive();
				pieces.add(new String(buffer, 0, n, StandardCharsets.UTF_8));
				total += n;
			}
			long elapsedMs = (System.nanoTime() - start) / 1_000_000;
			assertThat(pieces).containsExactly("hell", "o wo", "rld\r", "\n");
			// three gaps of 250 ms, wide enough that a busy reader still sees each piece
			// alone
			assertThat(elapsedMs).isGreaterThanOrEqualTo(750);
		}
		this.http.delete("/api/v1/listeners/" + listener.path("id").asString());
	}

	@Test
	void aRuleRetiresAfterItsTimesAndTheDefaultResponseAnswersTheRest() throws Exception {
		JsonNode listener = create(Map.of(
				"protocol", "tcp", "mode", "rules", "framing", "lf", "rules", List.of(Map.of("match",
						Map.of("prefix", "GET"), "respond", List.of(Map.of("payload", "first")), "times", 2)),
				"defaultResponse", Map.of("respond", List.of(Map.of("payload", "ERR unknown")))));
		try (Socket socket = connect(listener.path("port").asInt())) {
			java.io.BufferedReader reader = new java.io.BufferedReader(
					new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			List<String> answers = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				write(socket, "GET x\n");
				answers.add(reader.readLine());
			}
			assertThat(answers).containsExactly("first", "first", "ERR unknown");
		}
		this.http.delete("/api/v1/listeners/" + listener.path("id").asString());
	}

	@Test
	void udpRulesAnswerTheSenderFromTheListenersPortAndCountInboundTraffic() throws Exception {
		double sentBefore = counter("gateway.messages.sent", "udp");
		JsonNode listener = create(Map.of("protocol", "udp", "mode", "rules", "rules",
				List.of(rule(Map.of("regex", "^hello (\\w+)$"), "hi ${1}", "and again"))));
		int bound = listener.path("port").asInt();
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			socket.setSoTimeout(10_000);
			byte[] hello = "hello bob".getBytes(StandardCharsets.UTF_8);
			socket.send(new DatagramPacket(hello, hello.length, InetAddress.getLoopbackAddress(), bound));
			List<String> answers = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				DatagramPacket packet = new DatagramPacket(new byte[100], 100);
				socket.receive(packet);
				assertThat(packet.getPort()).isEqualTo(bound);
				answers.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
			}
			assertThat(answers).containsExactly("hi bob", "and again");
		}
		// counted once each datagram has left, which may be just after the client has it
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(counter("gateway.messages.sent", "udp") - sentBefore).isEqualTo(2));
		this.http.delete("/api/v1/listeners/" + listener.path("id").asString());
	}

	double counter(String name, String protocol) {
		var counter = this.registry.find(name)
			.tag("protocol", protocol)
			.tag("direction", "inbound")
			.tag("target", ListenerTraffic.TAG)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void badRulesAreRefusedNamingTheField() {
		assertProblem(Map.of("protocol", "tcp", "mode", "rules", "rules",
				List.of(Map.of("match", Map.of("equals", "a", "prefix", "b")))), 400, "rules[0].match");
		assertProblem(Map.of("protocol", "tcp", "mode", "rules", "rules",
				List.of(Map.of("match", Map.of("startsWith", "a")))), 400, "startsWith");
		assertProblem(
				Map.of("protocol", "tcp", "mode", "rules", "rules", List.of(Map.of("match", Map.of("regex", "(a")))),
				400, "rules[0].match.regex");
		assertProblem(
				Map.of("protocol", "tcp", "mode", "rules", "rules",
						List.of(Map.of("match", Map.of("equals", "a"), "respond", List.of(Map.of("payload", "${1}"))))),
				400, "rules[0].respond[0].payload");
		assertProblem(Map.of("protocol", "udp", "mode", "rules", "rules", List.of(Map.of("then", "reset"))), 400,
				"rules[0].then");
		assertProblem(Map.of("protocol", "tcp", "mode", "capture", "rules", List.of()), 400, "rules");
		assertProblem(Map.of("protocol", "tcp", "mode", "mock"), 400, "mode");
	}

	void assertProblem(Map<String, Object> body, int status, String field) {
		Response response = this.http.postJson("/api/v1/listeners", body);
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.json().path("code").asString()).isEqualTo("VALIDATION_FAILED");
		assertThat(response.json().path("detail").asString()).contains(field);
	}

}
