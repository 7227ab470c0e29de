package dev.socketgateway.security;

import java.io.IOException;
import java.io.OutputStream;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
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
 * The fault matrix: one in-test fault peer on 127.0.0.1 per failure, each ending in its
 * documented code within its deadline, the gateway healthy afterwards, and no file
 * descriptors left behind after many failures.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "gateway.limits.max-payload-bytes=16MB" })
@ExtendWith(OutputCaptureExtension.class)
class FaultMatrixTests {

	static int refusedPort;

	static ServerSocket fullBacklog;

	static final List<Socket> backlogFillers = new ArrayList<>();

	static TcpPeer silent;

	static final CountDownLatch silentSawClose = new CountDownLatch(1);

	static TcpPeer drip;

	static TcpPeer endless;

	static TcpPeer resetter;

	static TcpPeer halfClose;

	static TcpPeer closer;

	static ServerSocket neverReads;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	Http http;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) throws IOException {
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			refusedPort = probe.getLocalPort();
		}
		// Never accepts; its accept queue is filled below, so further SYNs are dropped.
		fullBacklog = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		silent = TcpPeer.start((socket, in, out) -> {
			in.transferTo(OutputStream.nullOutputStream());
			silentSawClose.countDown();
		});
		drip = TcpPeer.start((socket, in, out) -> {
			in.read(new byte[64]);
			// One byte every 100 ms, never a delimiter, until the gateway gives up and
			// closes.
			ScheduledExecutorService dripper = Executors.newSingleThreadScheduledExecutor();
			try {
				dripper.scheduleAtFixedRate(() -> {
					try {
						out.write('d');
						out.flush();
					}
					catch (IOException ex) {
						dripper.shutdown();
					}
				}, 0, 100, TimeUnit.MILLISECONDS);
				in.transferTo(OutputStream.nullOutputStream());
			}
			finally {
				dripper.shutdownNow();
			}
		});
		endless = TcpPeer.start((socket, in, out) -> {
			in.read(new byte[64]);
			byte[] chunk = new byte[64 * 1024];
			java.util.Arrays.fill(chunk, (byte) 'e');
			while (true) {
				out.write(chunk);
			}
		});
		resetter = TcpPeer.start((socket, in, out) -> {
			in.read(new byte[64]);
			out.write("half-a-fra".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			socket.setSoLinger(true, 0);
			socket.close();
		});
		halfClose = TcpPeer.start((socket, in, out) -> {
			in.read(new byte[64]);
			out.write("half-a-fra".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			socket.shutdownOutput();
			in.transferTo(OutputStream.nullOutputStream());
		});
		closer = TcpPeer.start((socket, in, out) -> in.read(new byte[64]));
		neverReads = new ServerSocket();
		neverReads.setReceiveBufferSize(4096);
		neverReads.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		registry.add("gateway.policy.allow[0]", () -> "127.0.0.1/32");
	}

	@AfterAll
	static void close() throws IOException {
		for (Socket socket : backlogFillers) {
			socket.close();
		}
		fullBacklog.close();
		neverReads.close();
		for (TcpPeer peer : new TcpPeer[] { silent, drip, endless, resetter, halfClose, closer }) {
			peer.close();
		}
	}

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

	@AfterEach
	void gatewayStaysHealthy(CapturedOutput output) {
		Response health = new Http(this.managementPort).get("/actuator/health");
		assertThat(health.status()).as(health.toString()).isEqualTo(200);
		assertThat(health.json().path("status").asString()).isEqualTo("UP");
		// Each fault is an ordinary upstream outcome answered to the caller: no ERROR
		// line or stack trace about it (test classes run in parallel: only lines naming
		// these peers count).
		String peers = Stream.of(silent, drip, endless, resetter, halfClose, closer)
			.map((peer) -> "127\\.0\\.0\\.1:" + peer.port() + "\\b")
			.collect(Collectors.joining("|", "(", ")"));
		assertThat(output.getAll()).doesNotContainPattern("(?m)^\\S+\\s+ERROR .*" + peers)
			.doesNotContainPattern("(?m)^.*" + peers + ".*Exception");
	}

	@Test
	void refused() {
		assertProblem(exchange(refusedPort, Map.of()), 502, "CONNECTION_REFUSED");
	}

	@Test
	void connectTimeoutWhenTheAcceptQueueIsFull() throws IOException {
		// Linux keeps backlog + 1 connections queued; once full it drops new SYNs.
		for (int i = 0; i < 8; i++) {
			Socket filler = new Socket();
			try {
				filler.connect(fullBacklog.getLocalSocketAddress(), 200);
				backlogFillers.add(filler);
			}
			catch (IOException ex) {
				filler.close();
				break;
			}
		}
		long start = System.nanoTime();
		Response response = exchange(fullBacklog.getLocalPort(), Map.of("connectTimeoutMs", 500));
		assertProblem(response, 504, "CONNECT_TIMEOUT");
		assertThat(elapsedMs(start)).isBetween(450L, 500L + 2000L);
	}

	@Test
	void silentPeerIsAReplyTimeoutAndItsConnectionIsClosedNotPooled() throws InterruptedException {
		long start = System.nanoTime();
		Response response = exchange(silent.port(), Map.of("replyTimeoutMs", 500));
		assertProblem(response, 504, "REPLY_TIMEOUT");
		assertThat(elapsedMs(start)).isBetween(450L, 500L + 2000L);
		assertThat(silentSawClose.await(10, TimeUnit.SECONDS)).as("the timed-out connection was closed").isTrue();
	}

	@Test
	void slowDripCannotHoldAPooledRequestPastTheReplyDeadline() {
		long start = System.nanoTime();
		Response response = exchange(drip.port(), Map.of("replyTimeoutMs", 1000));
		assertProblem(response, 504, "REPLY_TIMEOUT");
		assertThat(elapsedMs(start)).isBetween(950L, 1000L + 1500L);
	}

	@Test
	void slowDripCannotHoldARawReadPastTheReplyDeadline() {
		long start = System.nanoTime();
		Response response = exchange(drip.port(), Map.of("replyTimeoutMs", 1000, "framing", "raw", "idleMs", 300));
		assertProblem(response, 504, "REPLY_TIMEOUT");
		assertThat(elapsedMs(start)).isBetween(950L, 1000L + 1500L);
	}

	@Test
	void endlessFrameIsFrameTooLarge() {
		Response response = exchange(endless.port(), Map.of("replyTimeoutMs", 20000));
		assertProblem(response, 502, "FRAME_TOO_LARGE");
		assertThat(response.json().path("detail").asString()).contains("max-frame-bytes");
	}

	@Test
	void resetMidReplyIsConnectionReset() {
		assertProblem(exchange(resetter.port(), Map.of()), 502, "CONNECTION_RESET");
	}

	@Test
	void halfCloseAfterAPartialFrameIsPeerClosed() {
		assertProblem(exchange(halfClose.port(), Map.of()), 502, "PEER_CLOSED");
	}

	@Test
	void peerThatNeverReadsCannotHoldAFireAndForgetWrite() {
		// Larger than the kernel's send and receive buffers together, so the write
		// blocks.
		byte[] large = new byte[16 * 1024 * 1024];
		long start = System.nanoTime();
		Response response = this.http.post("/api/v1/tcp/exchange?host=127.0.0.1&port=" + neverReads.getLocalPort()
				+ "&awaitReply=false&framing=raw&replyTimeoutMs=1000", "application/octet-stream", large, null);
		assertProblem(response, 504, "REPLY_TIMEOUT");
		assertThat(response.json().path("detail").asString()).contains("not reading");
		assertThat(elapsedMs(start)).isBetween(950L, 1000L + 2000L);
	}

	@Test
	void peerThatNeverReadsCannotHoldAPooledWrite() {
		byte[] large = new byte[16 * 1024 * 1024];
		long start = System.nanoTime();
		Response response = this.http.post("/api/v1/tcp/exchange?host=127.0.0.1&port=" + neverReads.getLocalPort()
				+ "&framing=length4&replyTimeoutMs=1000", "application/octet-stream", large, null);
		assertProblem(response, 504, "REPLY_TIMEOUT");
		assertThat(elapsedMs(start)).isBetween(950L, 1000L + 2000L);
	}

	@Test
	void thousandFailingExchangesLeaveNoFileDescriptorsBehind() throws IOException {
		for (int i = 0; i < 30; i++) {
			failOnce(i);
		}
		long before = openFiles();
		for (int i = 0; i < 1000; i++) {
			failOnce(i);
		}
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(
					() -> assertThat(openFiles()).as("open fds, %d before", before).isLessThanOrEqualTo(before + 16));
	}

	private void failOnce(int i) {
		switch (i % 3) {
			case 0 -> assertProblem(exchange(refusedPort, Map.of()), 502, "CONNECTION_REFUSED");
			case 1 -> assertProblem(exchange(closer.port(), Map.of()), 502, "PEER_CLOSED");
			default -> assertProblem(exchange(silent.port(), Map.of("replyTimeoutMs", 20)), 504, "REPLY_TIMEOUT");
		}
	}

	private Response exchange(int peerPort, Map<String, Object> options) {
		Map<String, Object> body = new java.util.HashMap<>(options);
		body.put("host", "127.0.0.1");
		body.put("port", peerPort);
		body.putIfAbsent("payload", "hello");
		return this.http.postJson("/api/v1/tcp/exchange", body);
	}

	private static long openFiles() throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.count();
		}
	}

	private static long elapsedMs(long start) {
		return (System.nanoTime() - start) / 1_000_000;
	}

	static void assertProblem(Response response, int status, String code) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.json().path("code").asString()).as(response.toString()).isEqualTo(code);
	}

}
