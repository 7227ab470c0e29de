package dev.socketgateway.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.RequiredBinary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real-protocol framings against real servers started by the test (Redis, aiosmtpd,
 * mosquitto) and real clients (curl, logger) against listeners: one exchange or one
 * message is the whole reply or request.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"gateway.policy.allow[0]=127.0.0.1/32", "gateway.listeners.allowed-ports[0]=0" })
class RealProtocolExchangeTests {

	private static final List<Process> servers = new ArrayList<>();

	private static final Map<String, Integer> ports = new java.util.concurrent.ConcurrentHashMap<>();

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

	@AfterAll
	static void stopServers() {
		for (Process server : servers) {
			server.destroy();
			try {
				if (!server.waitFor(10, TimeUnit.SECONDS)) {
					server.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** Starts a server once per class and waits until it accepts connections. */
	private static synchronized int server(String name, java.util.function.IntFunction<List<String>> command)
			throws IOException {
		Integer known = ports.get(name);
		if (known != null) {
			return known;
		}
		int port = freePort();
		Path log = Files.createTempFile("framing-" + name, ".log");
		Process process = new ProcessBuilder(command.apply(port)).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		servers.add(process);
		Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
			assertThat(process.isAlive()).as("%s exited: %s", name, Files.readString(log)).isTrue();
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		});
		ports.put(name, port);
		return port;
	}

	private int redis() throws IOException {
		String binary = RequiredBinary.find("redis-server").toString();
		return server("redis", (port) -> List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no"));
	}

	private Response exchange(Map<String, Object> request) {
		return this.http.postJson("/api/v1/tcp/exchange", request);
	}

	@Test
	void redisGetOfAValueWithCrLfInsideIsOneReply() throws IOException {
		int redis = redis();
		Response set = exchange(Map.of("host", "127.0.0.1", "port", redis, "framing", "resp", "sendFraming", "raw",
				"payload", "*3\r\n$3\r\nSET\r\n$4\r\ncrlf\r\n$12\r\nhello\r\nworld\r\n"));
		assertThat(set.status()).as(set.text()).isEqualTo(200);
		assertThat(set.json().path("reply").path("payload").asString()).isEqualTo("+OK\r\n");
		Response get = exchange(Map.of("host", "127.0.0.1", "port", redis, "framing", "resp", "payload", "GET crlf"));
		assertThat(get.status()).as(get.text()).isEqualTo(200);
		assertThat(get.json().path("reply").path("payload").asString()).isEqualTo("$12\r\nhello\r\nworld\r\n");
		assertThat(get.json().path("completedBy").asString()).isEqualTo("length");
		assertThat(get.json().path("bytesSent").asLong()).isEqualTo("GET crlf\r\n".length());
		assertThat(get.json().path("bytesReceived").asLong()).isEqualTo(19);
	}

	@Test
	void redisLrangeIsOneReplyAndThePooledConnectionStaysInStep() throws IOException {
		int redis = redis();
		exchange(Map.of("host", "127.0.0.1", "port", redis, "framing", "resp", "payload", "DEL list"));
		Response push = exchange(
				Map.of("host", "127.0.0.1", "port", redis, "framing", "resp", "payload", "RPUSH list a bc \"\""));
		assertThat(push.json().path("reply").path("payload").asString()).isEqualTo(":3\r\n");
		for (int i = 0; i < 3; i++) {
			Response range = exchange(
					Map.of("host", "127.0.0.1", "port", redis, "framing", "resp", "payload", "LRANGE list 0 -1"));
			assertThat(range.json().path("reply").path("payload").asString())
				.isEqualTo("*3\r\n$1\r\na\r\n$2\r\nbc\r\n$0\r\n\r\n");
		}
	}

	@Test
	void aRedisSessionWritesWithItsSendFraming() throws IOException {
		int redis = redis();
		Response open = this.http.postJson("/api/v1/tcp/connections",
				Map.of("host", "127.0.0.1", "port", redis, "framing", "resp", "sendFraming", "raw"));
		assertThat(open.status()).as(open.text()).isEqualTo(201);
		String id = open.json().path("id").asString();
		Response ping = this.http.postJson("/api/v1/tcp/connections/" + id + "/messages",
				Map.of("payload", "*2\r\n$4\r\nECHO\r\n$7\r\nab\r\ncde\r\n", "awaitReply", true));
		assertThat(ping.status()).as(ping.text()).isEqualTo(200);
		assertThat(ping.json().path("reply").path("payload").asString()).isEqualTo("$7\r\nab\r\ncde\r\n");
		JsonNode session = this.http.get("/api/v1/tcp/connections/" + id).json();
		// 27 bytes as written raw; resp would have added CR LF
		assertThat(session.path("bytesSent").asLong()).isEqualTo(27);
		assertThat(session.path("framing").asString()).isEqualTo("resp");
		this.http.delete("/api/v1/tcp/connections/" + id);
	}

	@Test
	void smtpEhloIsOneMultiLineReply() throws IOException {
		int smtp = server("smtp",
				(port) -> List.of("/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port));
		Response open = this.http.postJson("/api/v1/tcp/connections",
				Map.of("host", "127.0.0.1", "port", smtp, "framing", "reply-code"));
		assertThat(open.status()).as(open.text()).isEqualTo(201);
		String id = open.json().path("id").asString();
		JsonNode greeting = this.http.get("/api/v1/tcp/connections/" + id + "/messages?waitMs=10000").json();
		assertThat(greeting.path("messages").get(0).path("payload").asString()).startsWith("220 ");
		Response ehlo = this.http.postJson("/api/v1/tcp/connections/" + id + "/messages",
				Map.of("payload", "EHLO client.example", "awaitReply", true, "replyTimeoutMs", 10000));
		assertThat(ehlo.status()).as(ehlo.text()).isEqualTo(200);
		String reply = ehlo.json().path("reply").path("payload").asString();
		assertThat(reply).startsWith("250-").contains("\r\n250-").doesNotEndWith("\r\n");
		String[] lines = reply.split("\r\n");
		assertThat(lines[lines.length - 1]).startsWith("250 ");
		assertThat(lines.length).isGreaterThan(2);
		this.http.delete("/api/v1/tcp/connections/" + id);
	}

	@Test
	void mqttConnectGetsItsConnackWithARawSend() throws IOException {
		String binary = RequiredBinary.find("mosquitto").toString();
		int mqtt = server("mosquitto", (port) -> List.of(binary, "-p", String.valueOf(port)));
		Response connack = exchange(Map.of("host", "127.0.0.1", "port", mqtt, "framing", "mqtt", "sendFraming", "raw",
				"encoding", "hex", "payload", "10 0c 00 04 4d 51 54 54 04 02 00 3c 00 00"));
		assertThat(connack.status()).as(connack.text()).isEqualTo(200);
		assertThat(connack.json().path("reply").path("payload").asString()).isEqualTo("20020000");
		assertThat(connack.json().path("bytesSent").asLong()).isEqualTo(14);
		assertThat(connack.json().path("completedBy").asString()).isEqualTo("length");
	}

	@Test
	void postgresStartupIsAnsweredWithOneWholeMessage() throws Exception {
		int postgres = postgres();
		byte[] parameters = "user\0postgres\0database\0postgres\0\0".getBytes(StandardCharsets.US_ASCII);
		java.nio.ByteBuffer startup = java.nio.ByteBuffer.allocate(8 + parameters.length);
		startup.putInt(8 + parameters.length).putInt(196608).put(parameters);
		Response reply = exchange(Map.of("host", "127.0.0.1", "port", postgres, "framing", "postgres", "sendFraming",
				"raw", "encoding", "hex", "payload", java.util.HexFormat.of().formatHex(startup.array())));
		assertThat(reply.status()).as(reply.text()).isEqualTo(200);
		// AuthenticationOk: 'R', length 8 (counting itself), 0
		assertThat(reply.json().path("reply").path("payload").asString()).isEqualTo("520000000800000000");
		assertThat(reply.json().path("bytesReceived").asLong()).isEqualTo(9);
	}

	/**
	 * A throwaway cluster: initdb and postgres refuse to run as root, so as root they run
	 * as the postgres user.
	 */
	private int postgres() throws Exception {
		Path bin = null;
		try (var versions = Files.list(Path.of("/usr/lib/postgresql")).sorted()) {
			for (Path version : versions.toList()) {
				bin = version.resolve("bin");
			}
		}
		catch (IOException ex) {
			// not installed: RequiredBinary below skips or fails
		}
		String ci = String.valueOf(System.getenv("CI"));
		Path initdb = RequiredBinary.find("initdb",
				Map.of("PATH", (bin != null) ? bin.toString() : "/usr/lib/postgresql/missing", "CI", ci));
		Path directory = Files.createTempDirectory("framing-pg");
		List<String> asUser = new ArrayList<>();
		if ("root".equals(System.getProperty("user.name"))) {
			Files.setOwner(directory,
					directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
			asUser.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		List<String> init = new ArrayList<>(asUser);
		init.addAll(List.of(initdb.toString(), "-D", directory.resolve("data").toString(), "-A", "trust", "-U",
				"postgres", "--no-sync"));
		Process setup = new ProcessBuilder(init).redirectErrorStream(true).start();
		String output = new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(setup.waitFor()).as(output).isZero();
		Path server = initdb.resolveSibling("postgres");
		return server("postgres", (port) -> {
			List<String> command = new ArrayList<>(asUser);
			command.addAll(List.of(server.toString(), "-D", directory.resolve("data").toString(), "-k",
					directory.toString(), "-p", String.valueOf(port), "-h", "127.0.0.1", "-c", "fsync=off"));
			return command;
		});
	}

	@Test
	void udpReplyFromHostAcceptsAReplyFromAnotherPortAsTftpSends() throws Exception {
		// a hand-written peer: answers every datagram from a second socket, as a TFTP
		// server
		// answers from a new port (tftpd-hpa needs root-owned files; this is the same
		// shape)
		try (java.net.DatagramSocket request = new java.net.DatagramSocket(0,
				java.net.InetAddress.getLoopbackAddress());
				java.net.DatagramSocket transfer = new java.net.DatagramSocket(0,
						java.net.InetAddress.getLoopbackAddress())) {
			Thread peer = new Thread(() -> {
				byte[] buffer = new byte[512];
				while (!request.isClosed()) {
					try {
						java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
						request.receive(packet);
						byte[] answer = ("data for "
								+ new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8))
							.getBytes(StandardCharsets.UTF_8);
						transfer.send(new java.net.DatagramPacket(answer, answer.length, packet.getSocketAddress()));
					}
					catch (IOException ex) {
						return;
					}
				}
			});
			peer.setDaemon(true);
			peer.start();
			Response reply = this.http.postJson("/api/v1/udp/datagrams", Map.of("host", "127.0.0.1", "port",
					request.getLocalPort(), "payload", "RRQ", "awaitReply", true, "replyFrom", "host"));
			assertThat(reply.status()).as(reply.text()).isEqualTo(200);
			assertThat(reply.json().path("reply").path("payload").asString()).isEqualTo("data for RRQ");
			assertThat(reply.json().path("reply").path("from").asString())
				.isEqualTo("127.0.0.1:" + transfer.getLocalPort());
			Response strict = this.http.postJson("/api/v1/udp/datagrams", Map.of("host", "127.0.0.1", "port",
					request.getLocalPort(), "payload", "RRQ", "awaitReply", true, "replyTimeoutMs", 500));
			assertThat(strict.status()).isEqualTo(504);
			assertThat(strict.json().path("code").asString()).isEqualTo("REPLY_TIMEOUT");
			assertThat(strict.json().path("detail").asString()).contains("replyFrom: host");
			Response bad = this.http.postJson("/api/v1/udp/datagrams", Map.of("host", "127.0.0.1", "port",
					request.getLocalPort(), "payload", "RRQ", "awaitReply", true, "replyFrom", "anywhere"));
			assertThat(bad.status()).isEqualTo(400);
			assertThat(bad.text()).contains("replyFrom");
		}
	}

	@Test
	void unknownFramingMembersAreNamed() {
		Response bad = exchange(Map.of("host", "127.0.0.1", "port", 1, "payload", "x", "framing",
				Map.of("type", "length", "size", 2, "sise", 3)));
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.json().path("code").asString()).isEqualTo("VALIDATION_FAILED");
		assertThat(bad.text()).contains("framing").contains("sise");
	}

	@Test
	void curlRequestWithABodyIsOneMessageOnAnHttpListener() throws Exception {
		String curl = RequiredBinary.find("curl").toString();
		Response listener = this.http.postJson("/api/v1/listeners",
				Map.of("protocol", "tcp", "port", 0, "framing", "http", "mode", "capture"));
		assertThat(listener.status()).as(listener.text()).isEqualTo(201);
		String id = listener.json().path("id").asString();
		int port = listener.json().path("port").asInt();
		Process process = new ProcessBuilder(curl, "-s", "-m", "3", "-H", "Content-Type: text/plain", "--data-binary",
				"line one\r\n\r\nline two", "http://127.0.0.1:" + port + "/upload?x=1")
			.redirectErrorStream(true)
			.start();
		JsonNode messages = this.http.get("/api/v1/listeners/" + id + "/messages?waitMs=10000").json();
		String request = messages.path("messages").get(0).path("payload").asString();
		assertThat(request).startsWith("POST /upload?x=1 HTTP/1.1\r\n")
			.contains("Content-Length: 20\r\n")
			.endsWith("\r\n\r\nline one\r\n\r\nline two");
		assertThat(messages.path("messages").size()).isEqualTo(1);
		process.waitFor(10, TimeUnit.SECONDS);
		this.http.delete("/api/v1/listeners/" + id);
	}

	@Test
	void anHttp10ClientGetsItsCloseDelimitedReplyAndAClientCanBeClosed() throws Exception {
		String curl = RequiredBinary.find("curl").toString();
		Response listener = this.http.postJson("/api/v1/listeners",
				Map.of("protocol", "tcp", "port", 0, "framing", "http"));
		String id = listener.json().path("id").asString();
		int port = listener.json().path("port").asInt();
		Process process = new ProcessBuilder(curl, "-s", "-m", "10", "--http1.0", "http://127.0.0.1:" + port + "/hi")
			.start();
		JsonNode request = this.http.get("/api/v1/listeners/" + id + "/messages?waitMs=10000")
			.json()
			.path("messages")
			.get(0);
		assertThat(request.path("payload").asString()).startsWith("GET /hi HTTP/1.0\r\n");
		String client = request.path("connectionId").asString();
		Response sent = this.http.postJson("/api/v1/listeners/" + id + "/messages", Map.of("to", client, "payload",
				"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello from the gateway", "close", true));
		assertThat(sent.status()).as(sent.text()).isEqualTo(202);
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("curl ends when the reply closes").isTrue();
		assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
			.isEqualTo("hello from the gateway");
		assertThat(process.exitValue()).isZero();
		// a second client, closed by DELETE: curl sees an empty reply (exit 52)
		Process second = new ProcessBuilder(curl, "-s", "-m", "10", "http://127.0.0.1:" + port + "/again").start();
		JsonNode again = this.http.get("/api/v1/listeners/" + id + "/messages?after=1&waitMs=10000")
			.json()
			.path("messages")
			.get(0);
		String secondClient = again.path("connectionId").asString();
		assertThat(this.http.delete("/api/v1/listeners/" + id + "/clients/" + secondClient).status()).isEqualTo(204);
		assertThat(second.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(second.exitValue()).isEqualTo(52);
		Response unknown = this.http.delete("/api/v1/listeners/" + id + "/clients/" + secondClient);
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.json().path("code").asString()).isEqualTo("CONNECTION_NOT_FOUND");
		this.http.delete("/api/v1/listeners/" + id);
	}

	@Test
	void loggerOctetCountingLandsOneMessagePerLogLine() throws Exception {
		String logger = RequiredBinary.find("logger").toString();
		Response listener = this.http.postJson("/api/v1/listeners",
				Map.of("protocol", "tcp", "port", 0, "framing", "syslog-octet"));
		assertThat(listener.status()).as(listener.text()).isEqualTo(201);
		String id = listener.json().path("id").asString();
		int port = listener.json().path("port").asInt();
		Path lines = Files.createTempFile("framing-syslog", ".txt");
		Files.writeString(lines, "first line\nsecond line with 12 digits 123456789012\nthird\n");
		Process process = new ProcessBuilder(logger, "--tcp", "--server", "127.0.0.1", "--port", String.valueOf(port),
				"--octet-count", "--tag", "gw", "-f", lines.toString())
			.redirectErrorStream(true)
			.start();
		assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
			.isZero();
		List<String> payloads = new ArrayList<>();
		Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			payloads.clear();
			this.http.get("/api/v1/listeners/" + id + "/messages?waitMs=1000")
				.json()
				.path("messages")
				.forEach((message) -> payloads.add(message.path("payload").asString()));
			assertThat(payloads).hasSize(3);
		});
		// logger writes RFC 5424 messages when it counts octets
		assertThat(payloads.get(0)).startsWith("<13>1 ").contains(" gw - - ").endsWith("] first line");
		assertThat(payloads.get(1)).endsWith("] second line with 12 digits 123456789012");
		assertThat(payloads.get(2)).endsWith("] third");
		this.http.delete("/api/v1/listeners/" + id);
	}

	static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

}
