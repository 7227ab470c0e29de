package dev.socketgateway.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.InflightLimiter;
import dev.socketgateway.egress.Protocol;
import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.metrics.AuditLog;
import dev.socketgateway.metrics.GatewayMetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Fire-and-forget on the service's own shared channel: datagrams to several targets leave
 * from one socket and arrive whole, a send the kernel refuses is a
 * {@code CONNECTION_REFUSED} that is counted as a failure, and a send interrupted under
 * one request (which closes the channel) does not fail the next.
 */
class DatagramSendTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final DatagramService service;

	DatagramSendTests() throws IOException {
		GatewayProperties properties = new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("gateway",
				GatewayProperties.class);
		this.service = new DatagramService(new InflightLimiter(properties), new GatewayMetrics(this.registry),
				new AuditLog());
	}

	@AfterEach
	void close() throws IOException {
		this.service.destroy();
	}

	@Test
	void datagramsToTwoTargetsArriveWholeFromOneSocket() throws IOException {
		try (DatagramSocket first = new DatagramSocket(0, InetAddress.getLoopbackAddress());
				DatagramSocket second = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			first.setSoTimeout(5000);
			second.setSoTimeout(5000);
			this.service.fire(target("127.0.0.1", first.getLocalPort()), "one".getBytes(StandardCharsets.UTF_8));
			this.service.fire(target("127.0.0.1", second.getLocalPort()), "two".getBytes(StandardCharsets.UTF_8));
			DatagramPacket one = receive(first);
			DatagramPacket two = receive(second);
			assertThat(new String(one.getData(), 0, one.getLength(), StandardCharsets.UTF_8)).isEqualTo("one");
			assertThat(new String(two.getData(), 0, two.getLength(), StandardCharsets.UTF_8)).isEqualTo("two");
			assertThat(one.getPort()).isEqualTo(two.getPort());
		}
	}

	@Test
	void aSendTheKernelRefusesIsConnectionRefused() {
		// loopback's broadcast address: sendto without SO_BROADCAST fails with EACCES
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> this.service.fire(target("127.255.255.255", 9), new byte[] { 1 }))
			.satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo(ErrorCode.CONNECTION_REFUSED);
				assertThat(ex.getMessage()).contains("sending to 127.255.255.255:9 failed");
			});
		assertThat(this.registry.get(GatewayMetrics.CONNECTION_FAILURES).tag("protocol", "udp").counter().count())
			.isEqualTo(1);
	}

	@Test
	void aSendInterruptedUnderOneRequestLeavesTheNextOneWorking() throws IOException {
		try (DatagramSocket sink = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			sink.setSoTimeout(5000);
			ResolvedTarget target = target("127.0.0.1", sink.getLocalPort());
			Thread.currentThread().interrupt();
			try {
				// an interrupted thread's channel operation closes the channel
				assertThatExceptionOfType(GatewayException.class)
					.isThrownBy(() -> this.service.fire(target, "lost".getBytes(StandardCharsets.UTF_8)));
			}
			finally {
				Thread.interrupted();
			}
			this.service.fire(target, "next".getBytes(StandardCharsets.UTF_8));
			DatagramPacket next = receive(sink);
			assertThat(new String(next.getData(), 0, next.getLength(), StandardCharsets.UTF_8)).isEqualTo("next");
		}
	}

	private static DatagramPacket receive(DatagramSocket socket) throws IOException {
		DatagramPacket packet = new DatagramPacket(new byte[64], 64);
		socket.receive(packet);
		return packet;
	}

	private static ResolvedTarget target(String address, int port) throws IOException {
		return new ResolvedTarget(null, address, List.of(InetAddress.getByName(address)), port, Protocol.UDP, null,
				false, null, null, true);
	}

}
