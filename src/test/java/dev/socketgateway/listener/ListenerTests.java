package dev.socketgateway.listener;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.socketgateway.support.GatewayEndToEndTests;
import dev.socketgateway.support.SharedPeers;
import dev.socketgateway.support.Http;
import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.SseReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TCP and UDP listeners end to end: real clients on 127.0.0.1 talk to them while the test
 * reads and answers over HTTP.
 */
class ListenerTests extends GatewayEndToEndTests {

	static final int busyPort = SharedPeers.busyTcpPort();

	@org.springframework.beans.factory.annotation.Autowired
	io.micrometer.core.instrument.MeterRegistry registry;

	JsonNode create(Map<String, Object> body) {
		Response response = this.http.postJson("/api/v1/listeners", body);
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		assertThat(response.header("Location")).endsWith("/api/v1/listeners/" + response.json().path("id").asString());
		return response.json();
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

	JsonNode messages(String id, long after) {
		return this.http.get("/api/v1/listeners/" + id + "/messages?after=" + after + "&max=1000").json();
	}

	@Test
	void tcpListenerGreetsCapturesAndAnswersOneClient() throws Exception {
		double listenersBefore = this.registry.get("gateway.listeners.active").tag("protocol", "tcp").gauge().value();
		double inboundBefore = this.registry.get("gateway.connections.active")
			.tag("protocol", "tcp")
			.tag("direction", "inbound")
			.gauge()
			.value();
		JsonNode listener = create(Map.of("protocol", "tcp", "port", 0, "greeting", "welcome"));
		String id = listener.path("id").asString();
		assertThat(listener.path("bindAddress").asString()).isEqualTo("127.0.0.1");
		assertThat(listener.path("mode").asString()).isEqualTo("capture");
		assertThat(listener.path("state").asString()).isEqualTo("open");
		int bound = listener.path("port").asInt();
		assertThat(bound).isPositive();
		try (Socket socket = connect(bound)) {
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			assertThat(reader.readLine()).isEqualTo("welcome");
			write(socket, "hello\r\n");
			JsonNode page = this.http.get("/api/v1/listeners/" + id + "/messages?after=0&waitMs=10000").json();
			JsonNode message = page.path("messages").get(0);
			assertThat(message.path("payload").asString()).isEqualTo("hello");
			assertThat(message.path("from").asString()).isEqualTo("127.0.0.1:" + socket.getLocalPort());
			String connectionId = message.path("connectionId").asString();
			assertThat(connectionId).isNotEmpty();
			assertThat(this.http.get("/api/v1/listeners/" + id).json().path("clients").asInt()).isEqualTo(1);
			assertThat(this.registry.get("gateway.listeners.active").tag("protocol", "tcp").gauge().value())
				.isEqualTo(listenersBefore + 1);
			assertThat(this.registry.get("gateway.connections.active")
				.tag("protocol", "tcp")
				.tag("direction", "inbound")
				.gauge()
				.value()).isEqualTo(inboundBefore + 1);

			Response sent = this.http.postJson("/api/v1/listeners/" + id + "/messages",
					Map.of("to", connectionId, "payload", "hi there"));
			assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
			assertThat(sent.json().path("bytesSent").asLong()).isEqualTo(10);
			assertThat(reader.readLine()).isEqualTo("hi there");

			Response unknown = this.http.postJson("/api/v1/listeners/" + id + "/messages",
					Map.of("to", "nobody", "payload", "x"));
			assertThat(unknown.status()).isEqualTo(404);
			assertThat(unknown.json().path("code").asString()).isEqualTo("CONNECTION_NOT_FOUND");
		}
		this.http.delete("/api/v1/listeners/" + id);
		assertThat(this.registry.get("gateway.listeners.active").tag("protocol", "tcp").gauge().value())
			.isEqualTo(listenersBefore);
	}

	@Test
	void echoModeWritesBackAndRecords() throws Exception {
		JsonNode listener = create(Map.of("protocol", "tcp", "port", 0, "mode", "echo", "framing", "lf"));
		String id = listener.path("id").asString();
		try (Socket socket = connect(listener.path("port").asInt())) {
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			write(socket, "ping\n");
			assertThat(reader.readLine()).isEqualTo("ping");
			assertThat(messages(id, 0).path("messages").get(0).path("payload").asString()).isEqualTo("ping");
		}
		this.http.delete("/api/v1/listeners/" + id);
	}

	List<String> payloads(String id, long after, long waitMs) {
		return this.http.payloads("/api/v1/listeners/" + id + "/messages?after=" + after + "&waitMs=" + waitMs);
	}

	@Test
	void rawListenerRecordsWhatAClientWritesUntilQuietAsOneMessage() throws Exception {
		JsonNode listener = create(Map.of("protocol", "tcp", "port", 0, "framing", "raw", "idleMs", 2000));
		String id = listener.path("id").asString();
		assertThat(listener.path("idleMs").asInt()).isEqualTo(2000);
		try (Socket socket = connect(listener.path("port").asInt())) {
			write(socket, "hel");
			// not a message yet: the quiet time has not passed
			assertThat(payloads(id, 0, 300)).isEmpty();
			write(socket, "lo");
			assertThat(payloads(id, 0, 10_000)).containsExactly("hello");
			write(socket, "again");
			assertThat(payloads(id, 1, 10_000)).containsExactly("again");
		}
		this.http.delete("/api/v1/listeners/" + id);
	}

	@Test
	void rawClientsThatCloseRightAfterWritingLeaveOneMessageEach() throws Exception {
		// NIO may report a close before it hands over the last pieces: the quiet, not the
		// close, ends the message
		JsonNode listener = create(Map.of("protocol", "tcp", "port", 0, "framing", "raw", "idleMs", 5000));
		String id = listener.path("id").asString();
		int clients = 20;
		List<Socket> sockets = new ArrayList<>();
		for (int i = 0; i < clients; i++) {
			Socket socket = connect(listener.path("port").asInt());
			sockets.add(socket);
			write(socket, "hel");
		}
		// "hel" is read and pending on each: not a message before the quiet
		assertThat(payloads(id, 0, 300)).isEmpty();
		for (Socket socket : sockets) {
			write(socket, "lo");
			socket.close();
		}
		List<String> all = new ArrayList<>();
		while (all.size() < clients) {
			List<String> page = payloads(id, all.size(), 10_000);
			assertThat(page).as("after %s", all).isNotEmpty();
			all.addAll(page);
		}
		assertThat(all).hasSize(clients).containsOnly("hello");
		this.http.delete("/api/v1/listeners/" + id);
	}

	@Test
	void rawEchoListenerEchoesTheJoinedMessage() throws Exception {
		JsonNode listener = create(
				Map.of("protocol", "tcp", "port", 0, "mode", "echo", "framing", "raw", "idleMs", 2000));
		String id = listener.path("id").asString();
		try (Socket socket = connect(listener.path("port").asInt())) {
			write(socket, "pi");
			assertThat(payloads(id, 0, 300)).isEmpty();
			write(socket, "ng");
			assertThat(new String(socket.getInputStream().readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("ping");
			assertThat(payloads(id, 0, 0)).containsExactly("ping");
		}
		this.http.delete("/api/v1/listeners/" + id);
	}

	@Test
	void idleMsOutOfRangeIsAProblemNamingIt() {
		for (int idleMs : new int[] { 0, 60_001 }) {
			Response response = this.http.postJson("/api/v1/listeners",
					Map.of("protocol", "tcp", "port", 0, "framing", "raw", "idleMs", idleMs));
			assertThat(response.status()).as(response.toString()).isEqualTo(400);
			assertThat(response.json().path("code").asString()).isEqualTo("VALIDATION_FAILED");
			assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("idleMs");
		}
	}

	@Test
	void sendFramingFramesGreetingEchoesAndSendsWhileReadsKeepTheFraming() throws Exception {
		JsonNode listener = create(Map.of("protocol", "tcp", "port", 0, "mode", "echo", "framing", "crlf",
				"sendFraming", "length2", "greeting", "hi"));
		String id = listener.path("id").asString();
		assertThat(listener.path("sendFraming").asString()).isEqualTo("length2");
		try (Socket socket = connect(listener.path("port").asInt())) {
			java.io.InputStream in = socket.getInputStream();
			assertThat(in.readNBytes(4)).containsExactly(0, 2, 'h', 'i');
			write(socket, "ping\r\n");
			assertThat(in.readNBytes(6)).containsExactly(0, 4, 'p', 'i', 'n', 'g');
			JsonNode message = this.http.get("/api/v1/listeners/" + id + "/messages?after=0&waitMs=10000")
				.json()
				.path("messages")
				.get(0);
			assertThat(message.path("payload").asString()).isEqualTo("ping");
			Response sent = this.http.postJson("/api/v1/listeners/" + id + "/messages",
					Map.of("to", message.path("connectionId").asString(), "payload", "ok"));
			assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
			assertThat(sent.json().path("bytesSent").asLong()).isEqualTo(4);
			assertThat(in.readNBytes(4)).containsExactly(0, 2, 'o', 'k');
		}
		this.http.delete("/api/v1/listeners/" + id);
		Response udp = this.http.postJson("/api/v1/listeners",
				Map.of("protocol", "udp", "port", 0, "sendFraming", "length2"));
		assertThat(udp.status()).isEqualTo(400);
		assertThat(udp.json().path("code").asString()).isEqualTo("VALIDATION_FAILED");
		assertThat(udp.json().path("errors").get(0).path("field").asString()).isEqualTo("sendFraming");
	}

	@Test
	void manyConcurrentClientsAreCapturedInOrderPerClient() throws Exception {
		JsonNode listener = create(Map.of("protocol", "tcp", "port", 0));
		String id = listener.path("id").asString();
		int bound = listener.path("port").asInt();
		ExecutorService pool = Executors.newFixedThreadPool(24);
		List<Socket> sockets = new ArrayList<>();
		try {
			List<Future<Socket>> futures = new ArrayList<>();
			for (int c = 0; c < 24; c++) {
				int client = c;
				futures.add(pool.submit(() -> {
					Socket socket = connect(bound);
					StringBuilder text = new StringBuilder();
					for (int i = 0; i < 20; i++) {
						text.append("c").append(client).append("-").append(i).append("\r\n");
					}
					write(socket, text.toString());
					return socket;
				}));
			}
			for (Future<Socket> future : futures) {
				sockets.add(future.get(30, TimeUnit.SECONDS));
			}
			await().until(() -> messages(id, 0).path("messages").size() == 480);
			assertThat(this.http.get("/api/v1/listeners/" + id).json().path("clients").asInt()).isEqualTo(24);
			Map<String, List<Integer>> perClient = new java.util.HashMap<>();
			messages(id, 0).path("messages").forEach((m) -> {
				String[] parts = m.path("payload").asString().split("-");
				perClient.computeIfAbsent(m.path("connectionId").asString(), (k) -> new ArrayList<>())
					.add(Integer.parseInt(parts[1]));
			});
			assertThat(perClient).hasSize(24);
			perClient.values()
				.forEach((seqs) -> assertThat(seqs)
					.containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).boxed().toList()));
		}
		finally {
			pool.shutdownNow();
			for (Socket socket : sockets) {
				socket.close();
			}
		}
		this.http.delete("/api/v1/listeners/" + id);
	}

	@Test
	void udpListenerCapturesAndAnswersASender() throws Exception {
		JsonNode listener = create(Map.of("protocol", "udp", "port", 0));
		String id = listener.path("id").asString();
		int bound = listener.path("port").asInt();
		assertThat(listener.path("framing").isNull()).isTrue();
		try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			client.setSoTimeout(10_000);
			byte[] hello = "hello udp".getBytes(StandardCharsets.UTF_8);
			client.send(new DatagramPacket(hello, hello.length, InetAddress.getLoopbackAddress(), bound));
			JsonNode page = this.http.get("/api/v1/listeners/" + id + "/messages?after=0&waitMs=10000").json();
			JsonNode message = page.path("messages").get(0);
			assertThat(message.path("payload").asString()).isEqualTo("hello udp");
			assertThat(message.path("connectionId").isNull()).isTrue();
			String from = message.path("from").asString();
			assertThat(from).isEqualTo("127.0.0.1:" + client.getLocalPort());
			assertThat(this.http.get("/api/v1/listeners/" + id).json().path("clients").asInt()).isEqualTo(1);

			Response sent = this.http.postJson("/api/v1/listeners/" + id + "/messages",
					Map.of("to", from, "payload", "hello back"));
			assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
			assertThat(sent.json().path("bytesSent").asLong()).isEqualTo(10);
			DatagramPacket reply = new DatagramPacket(new byte[100], 100);
			client.receive(reply);
			assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8))
				.isEqualTo("hello back");
			assertThat(reply.getPort()).isEqualTo(bound);

			Response stranger = this.http.postJson("/api/v1/listeners/" + id + "/messages",
					Map.of("to", "127.0.0.1:9", "payload", "x"));
			assertThat(stranger.status()).isEqualTo(404);
		}
		this.http.delete("/api/v1/listeners/" + id);
	}

	@Test
	void streamDeliversClientMessagesAndClosedOnDelete() throws Exception {
		JsonNode listener = create(Map.of("protocol", "tcp", "port", 0));
		String id = listener.path("id").asString();
		try (Socket socket = connect(listener.path("port").asInt());
				SseReader stream = new SseReader(this.port, "/api/v1/listeners/" + id + "/messages/stream?after=0",
						Map.of())) {
			write(socket, "streamed\r\n");
			SseReader.Event event = stream.next(10);
			assertThat(event.name()).isEqualTo("message");
			assertThat(event.id()).isEqualTo("1");
			assertThat(event.data()).contains("\"payload\":\"streamed\"").contains("\"connectionId\"");
			this.http.delete("/api/v1/listeners/" + id);
			assertThat(stream.next(10).name()).isEqualTo("closed");
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
		}
		assertThat(this.http.get("/api/v1/listeners/" + id).json().path("state").asString()).isEqualTo("closed");
	}

	@Test
	void unknownModeIs400NamingTheModes() {
		Response response = this.http.postJson("/api/v1/listeners",
				Map.of("protocol", "tcp", "port", 0, "mode", "mirror"));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().path("code").asString()).isEqualTo("VALIDATION_FAILED");
		assertThat(response.text()).contains("mode").contains("use capture, echo");
	}

	@Test
	void portOutsideTheAllowedRangesIs403() {
		Response response = this.http.postJson("/api/v1/listeners", Map.of("protocol", "tcp", "port", 1));
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.json().path("code").asString()).isEqualTo("LISTENER_PORT_FORBIDDEN");
		Response address = this.http.postJson("/api/v1/listeners",
				Map.of("protocol", "tcp", "port", 0, "bindAddress", "0.0.0.0"));
		assertThat(address.status()).isEqualTo(403);
	}

	@Test
	void boundPortIs409() {
		Response response = this.http.postJson("/api/v1/listeners", Map.of("protocol", "tcp", "port", busyPort));
		assertThat(response.status()).as(response.toString()).isEqualTo(409);
		assertThat(response.json().path("code").asString()).isEqualTo("PORT_IN_USE");
	}

	@Test
	void tlsWithoutAServerBundleIs400NamingTls() {
		Response response = this.http.postJson("/api/v1/listeners", Map.of("protocol", "tcp", "port", 0, "tls", true));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().path("code").asString()).isEqualTo("VALIDATION_FAILED");
		assertThat(response.json().path("detail").asString()).contains("tls");
	}

	@Test
	void deletingAListenerFreesItsPort() throws Exception {
		JsonNode listener = create(Map.of("protocol", "tcp", "port", 0));
		int bound = listener.path("port").asInt();
		assertThat(this.http.delete("/api/v1/listeners/" + listener.path("id").asString()).status()).isEqualTo(204);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			try (ServerSocket again = new ServerSocket()) {
				again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), bound));
			}
		});
		JsonNode udp = create(Map.of("protocol", "udp", "port", 0));
		int udpPort = udp.path("port").asInt();
		this.http.delete("/api/v1/listeners/" + udp.path("id").asString());
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			try (DatagramSocket again = new DatagramSocket(
					new InetSocketAddress(InetAddress.getLoopbackAddress(), udpPort))) {
				assertThat(again.getLocalPort()).isEqualTo(udpPort);
			}
		});
	}

	@Test
	void listsListenersWithState() {
		String a = create(Map.of("protocol", "tcp", "port", 0)).path("id").asString();
		String b = create(Map.of("protocol", "udp", "port", 0)).path("id").asString();
		this.http.delete("/api/v1/listeners/" + a);
		Set<String> open = new HashSet<>();
		this.http.get("/api/v1/listeners?state=open")
			.json()
			.path("listeners")
			.forEach((l) -> open.add(l.path("id").asString()));
		assertThat(open).contains(b).doesNotContain(a);
		this.http.delete("/api/v1/listeners/" + b);
		assertThat(this.http.get("/api/v1/listeners/nope").status()).isEqualTo(404);
	}

}
