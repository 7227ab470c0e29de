package dev.socketgateway.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.core.task.SimpleAsyncTaskExecutor;

import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.session.SessionConnectionFactory.SessionConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared NIO factory on its own, against a plain peer socket on 127.0.0.1.
 */
class SessionConnectionFactoryTests {

	@Test
	void opensDoNotHarvestAllConnectionsEachAndStillRead() throws Exception {
		int count = 300;
		try (ServerSocketChannel peer = ServerSocketChannel.open()) {
			peer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), count + 10);
			int port = ((InetSocketAddress) peer.getLocalAddress()).getPort();
			SessionConnectionFactory factory = new SessionConnectionFactory(new SimpleAsyncTaskExecutor("sg-test-"));
			factory.start();
			List<SocketChannel> accepted = new ArrayList<>();
			try {
				CompletableFuture<Frame> lastFrame = new CompletableFuture<>();
				CompletableFuture<String> lastClosed = new CompletableFuture<>();
				long start = System.nanoTime();
				List<SessionConnection> connections = new ArrayList<>();
				for (int i = 0; i < count; i++) {
					boolean last = i == count - 1;
					connections.add(factory.connect(new SessionConnectionFactory.Spec("127.0.0.1", port, 5000,
							Framing.CRLF.codec(1024), (frame) -> {
								if (last) {
									lastFrame.complete(frame);
								}
							}, (reason) -> {
								if (last) {
									lastClosed.complete(reason);
								}
							})));
				}
				long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
				// Each open wakes the selector; Spring Integration alone walks every
				// connection on each of those passes (count harvests or more).
				assertThat(factory.harvests())
					.isLessThanOrEqualTo(2 + (int) (elapsedMs / SessionConnectionFactory.HARVEST_INTERVAL_MS));
				assertThat(connections).allMatch(SessionConnection::isOpen);
				for (int i = 0; i < count; i++) {
					accepted.add(peer.accept());
				}
				// the peer side of the last connection is the last accepted
				SocketChannel lastPeer = accepted.get(count - 1);
				lastPeer.write(ByteBuffer.wrap("hello\r\n".getBytes(StandardCharsets.US_ASCII)));
				Frame frame = lastFrame.get(10, TimeUnit.SECONDS);
				assertThat(new String(frame.payload(), StandardCharsets.US_ASCII)).isEqualTo("hello");
				lastPeer.close();
				assertThat(lastClosed.get(10, TimeUnit.SECONDS)).isEqualTo("peer-closed");
				assertThat(connections.get(0).isOpen()).isTrue();
			}
			finally {
				factory.stop();
				for (SocketChannel channel : accepted) {
					channel.close();
				}
			}
		}
	}

}
