package dev.socketgateway.listener;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.socketgateway.support.Http.Response;
import dev.socketgateway.support.RequiredBinary;
import dev.socketgateway.support.UdpEchoPeer;
import io.micrometer.core.instrument.Counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Proxy listeners end to end: record a real redis-server (and a UDP peer) through the
 * gateway, then replay the recording as rules with the upstream stopped.
 */
class ListenerProxyTests extends LoopbackListenerTests {

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	static final List<List<String>> COMMANDS = List.of(List.of("SET", "greeting", "hello"), List.of("GET", "greeting"),
			List.of("INCR", "visits"), List.of("INCR", "visits"), List.of("PING"));

	static List<String> redisCli(int port) throws Exception {
		List<String> answers = new ArrayList<>();
		for (List<String> command : COMMANDS) {
			List<String> args = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", String.valueOf(port)));
			args.addAll(command);
			answers.add(Tools.run("redis-cli", args.toArray(String[]::new)).output().trim());
		}
		return answers;
	}

	double outboundOpened() {
		Counter counter = this.registry.find("gateway.connections.opened")
			.tag("protocol", "tcp")
			.tag("direction", "outbound")
			.tag("target", "adhoc")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	double outboundActive() {
		return this.registry.get("gateway.connections.active")
			.tag("protocol", "tcp")
			.tag("direction", "outbound")
			.gauge()
			.value();
	}

	@Test
	void aRecordingOfRedisReplaysTheSameAnswersWithRedisStopped() throws Exception {
		int redisPort = freePort();
		Process redis = new ProcessBuilder(RequiredBinary.find("redis-server").toString(), "--port",
				String.valueOf(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		List<String> recorded;
		JsonNode rules;
		try {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> Tools.run("redis-cli", "-p", String.valueOf(redisPort), "PING").output().contains("PONG"));
			double openedBefore = outboundOpened();
			double activeBefore = outboundActive();
			JsonNode proxy = create(Map.of("protocol", "tcp", "mode", "proxy", "framing", "raw", "upstream",
					Map.of("host", "127.0.0.1", "port", redisPort)));
			assertThat(proxy.path("mode").asString()).isEqualTo("proxy");
			String id = proxy.path("id").asString();
			recorded = redisCli(proxy.path("port").asInt());
			assertThat(recorded).containsExactly("OK", "hello", "1", "2", "PONG");
			assertThat(outboundOpened() - openedBefore).isEqualTo(COMMANDS.size());
			// both directions are in the listener's messages: the upstream's from its
			// address
			JsonNode page = this.http.get("/api/v1/listeners/" + id + "/messages?max=100").json();
			List<String> froms = page.path("messages").findValuesAsString("from");
			assertThat(froms).contains("127.0.0.1:" + redisPort);
			assertThat(page.path("messages").findValuesAsString("payload")).contains("+PONG\r\n", "$5\r\nhello\r\n");
			rules = this.http.get("/api/v1/listeners/" + id + "/recording").json().path("rules");
			// INCR answered :1 then :2: two rules for the same request, the first once
			assertThat(rules).hasSize(5);
			assertThat(rules.get(2).path("times").asInt()).isEqualTo(1);
			assertThat(rules.get(3).path("match")).isEqualTo(rules.get(2).path("match"));
			this.http.delete("/api/v1/listeners/" + id);
			// every upstream connection closed with its client
			await().atMost(Duration.ofSeconds(10)).until(() -> outboundActive() == activeBefore);
		}
		finally {
			redis.destroy();
			redis.waitFor(10, TimeUnit.SECONDS);
		}
		assertThat(Tools.run("redis-cli", "-p", String.valueOf(redisPort), "PING").output())
			.contains("Connection refused");
		JsonNode replay = create(Map.of("protocol", "tcp", "mode", "rules", "framing", "raw", "rules", rules));
		assertThat(redisCli(replay.path("port").asInt())).isEqualTo(recorded);
		this.http.delete("/api/v1/listeners/" + replay.path("id").asString());
	}

	@Test
	void aUdpProxyRelaysEachSenderAndItsRecordingReplaysWithThePeerGone() throws Exception {
		JsonNode rules;
		try (UdpEchoPeer peer = new UdpEchoPeer(true)) {
			JsonNode proxy = create(Map.of("protocol", "udp", "mode", "proxy", "upstream",
					Map.of("host", "127.0.0.1", "port", peer.port())));
			assertThat(exchange(proxy.path("port").asInt(), "ping", "status?")).containsExactly("ping", "status?");
			rules = this.http.get("/api/v1/listeners/" + proxy.path("id").asString() + "/recording")
				.json()
				.path("rules");
			assertThat(rules.findValuesAsString("equals")).containsExactly("ping", "status?");
			this.http.delete("/api/v1/listeners/" + proxy.path("id").asString());
		}
		JsonNode replay = create(Map.of("protocol", "udp", "mode", "rules", "rules", rules));
		assertThat(exchange(replay.path("port").asInt(), "ping", "status?")).containsExactly("ping", "status?");
		this.http.delete("/api/v1/listeners/" + replay.path("id").asString());
	}

	static List<String> exchange(int port, String... datagrams) throws IOException {
		List<String> answers = new ArrayList<>();
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			socket.setSoTimeout(10_000);
			for (String datagram : datagrams) {
				byte[] bytes = datagram.getBytes(StandardCharsets.UTF_8);
				socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
				DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
				socket.receive(packet);
				answers.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
			}
		}
		return answers;
	}

	@Test
	void anUpstreamThePolicyRefusesIsForbiddenAtCreation() {
		Response refused = this.http.postJson("/api/v1/listeners",
				Map.of("protocol", "tcp", "mode", "proxy", "upstream", Map.of("host", "127.0.0.2", "port", 6379)));
		assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
		assertThat(refused.json().path("code").asString()).isEqualTo("TARGET_FORBIDDEN");
		Response missing = this.http.postJson("/api/v1/listeners", Map.of("protocol", "tcp", "mode", "proxy"));
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.json().path("detail").asString()).contains("upstream");
	}

	@Test
	void aClientWhoseUpstreamRefusesIsClosedAndTheFailureCounted() throws Exception {
		int closedPort = freePort();
		double before = refusedFailures();
		JsonNode proxy = create(Map.of("protocol", "tcp", "mode", "proxy", "upstream",
				Map.of("host", "127.0.0.1", "port", closedPort)));
		try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(),
				proxy.path("port").asInt())) {
			socket.setSoTimeout(10_000);
			// nothing written: unread bytes would turn the close into a reset
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> refusedFailures() - before == 1);
		this.http.delete("/api/v1/listeners/" + proxy.path("id").asString());
	}

	double refusedFailures() {
		Counter counter = this.registry.find("gateway.connection.failures")
			.tag("protocol", "tcp")
			.tag("reason", "refused")
			.tag("target", "adhoc")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void onlyProxyListenersHaveARecording() {
		JsonNode capture = create(Map.of("protocol", "tcp"));
		Response response = this.http.get("/api/v1/listeners/" + capture.path("id").asString() + "/recording");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().path("code").asString()).isEqualTo("VALIDATION_FAILED");
		this.http.delete("/api/v1/listeners/" + capture.path("id").asString());
	}

}
