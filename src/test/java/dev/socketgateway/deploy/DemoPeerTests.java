package dev.socketgateway.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static dev.socketgateway.deploy.YamlTree.list;
import static org.assertj.core.api.Assertions.assertThat;
import dev.socketgateway.support.RequiredBinary;

/**
 * Runs the compose demo peer's own command (socat) on 127.0.0.1 with free ports and
 * checks that it is what the gateway's named targets expect: a CRLF line echo over TCP
 * and a UDP echo that answers from its bound port.
 */
class DemoPeerTests {

	static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	Map<String, Object> echo;

	Process peer;

	int tcpPort;

	int udpPort;

	@BeforeEach
	@SuppressWarnings("unchecked")
	void startPeer() throws IOException {
		RequiredBinary.find("socat");
		Path sh = RequiredBinary.find("sh");
		Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
		this.echo = (Map<String, Object>) YamlTree.map(compose, "services", "echo");
		assertThat(list(this.echo, "entrypoint")).containsExactly("/bin/sh", "-c");
		String command = (String) list(this.echo, "command").get(0);
		assertThat(command).contains("TCP-LISTEN:9000,").contains("UDP-RECVFROM:9001,");
		this.tcpPort = freeTcpPort();
		this.udpPort = freeUdpPort();
		// Same command, loopback only, free ports.
		String local = command.replace("TCP-LISTEN:9000,", "TCP-LISTEN:" + this.tcpPort + ",bind=127.0.0.1,")
			.replace("UDP-RECVFROM:9001,", "UDP-RECVFROM:" + this.udpPort + ",bind=127.0.0.1,");
		this.peer = new ProcessBuilder(sh.toString(), "-c", local).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
	}

	@AfterEach
	void stopPeer() throws InterruptedException {
		if (this.peer != null) {
			this.peer.descendants().forEach(ProcessHandle::destroy);
			this.peer.destroy();
			this.peer.waitFor();
		}
	}

	@Test
	void tcpEchoReturnsEachCrlfLine() {
		Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(LOOPBACK, this.tcpPort), 1000);
				socket.setSoTimeout(2000);
				socket.getOutputStream().write("hello\r\nworld\r\n".getBytes(StandardCharsets.UTF_8));
				assertThat(readExactly(socket.getInputStream(), 14)).isEqualTo("hello\r\nworld\r\n");
			}
		});
	}

	@Test
	void udpEchoAnswersFromItsBoundPort() {
		Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
			try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
				socket.setSoTimeout(1000);
				byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
				socket.send(new DatagramPacket(ping, ping.length, LOOPBACK, this.udpPort));
				DatagramPacket reply = new DatagramPacket(new byte[64], 64);
				socket.receive(reply);
				assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo("ping");
				assertThat(reply.getPort()).as("reply source port").isEqualTo(this.udpPort);
			}
		});
	}

	@Test
	void healthcheckPassesOnceTheTcpEchoListens() throws Exception {
		List<String> test = new ArrayList<>(
				list(this.echo, "healthcheck", "test").stream().map(String::valueOf).toList());
		assertThat(test.remove(0)).isEqualTo("CMD");
		List<String> local = test.stream()
			.map((arg) -> arg.replace("127.0.0.1:9000", "127.0.0.1:" + this.tcpPort))
			.toList();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.untilAsserted(
					() -> assertThat(Commands.run(local, Path.of("."), Map.of(), Duration.ofSeconds(10)).exitCode())
						.isZero());
		List<ProcessHandle> children = this.peer.descendants().toList();
		children.forEach(ProcessHandle::destroy);
		this.peer.destroy();
		this.peer.waitFor();
		// socat's forked children inherit the listening socket: wait for them too.
		children.forEach((child) -> child.onExit().join());
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(Commands.run(local, Path.of("."), Map.of(), Duration.ofSeconds(10)).exitCode())
						.isNotZero());
	}

	private static String readExactly(InputStream in, int length) throws IOException {
		byte[] bytes = in.readNBytes(length);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static int freeTcpPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
			return socket.getLocalPort();
		}
	}

	private static int freeUdpPort() throws IOException {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
			return socket.getLocalPort();
		}
	}

}
