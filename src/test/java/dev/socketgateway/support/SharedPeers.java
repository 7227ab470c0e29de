package dev.socketgateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The peers every end-to-end test class shares, started once per test JVM on 127.0.0.1
 * port 0, and the properties that point the gateway at them. One fixed property set means
 * one cached Spring context for all classes extending {@link GatewayEndToEndTests}.
 */
public final class SharedPeers {

	/** Named target of {@link #tcpEcho()}. */
	public static final String TCP_ECHO_TARGET = "shared-echo";

	/** Named target of {@link #udpEcho()}. */
	public static final String UDP_ECHO_TARGET = "shared-udp-echo";

	private static final SharedPeers INSTANCE = start();

	private final TcpPeer tcpEcho;

	private final HeldPeer held;

	private final UdpEchoPeer udpEcho;

	private final UdpEchoPeer udpSink;

	private final int refusedTcpPort;

	private final int closedUdpPort;

	private final ServerSocket busy;

	private SharedPeers() throws IOException {
		this.tcpEcho = TcpPeer.echo();
		this.held = new HeldPeer();
		this.udpEcho = new UdpEchoPeer(true);
		this.udpSink = new UdpEchoPeer(false);
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			this.refusedTcpPort = probe.getLocalPort();
		}
		try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			this.closedUdpPort = probe.getLocalPort();
		}
		this.busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
	}

	private static SharedPeers start() {
		try {
			return new SharedPeers();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A TCP peer that echoes every byte. */
	public static TcpPeer tcpEcho() {
		return INSTANCE.tcpEcho;
	}

	/** A TCP peer that hands each accepted socket to the test. */
	public static HeldPeer held() {
		return INSTANCE.held;
	}

	/** A UDP peer that answers every datagram with itself. */
	public static UdpEchoPeer udpEcho() {
		return INSTANCE.udpEcho;
	}

	/** A UDP peer that counts datagrams and never answers. */
	public static UdpEchoPeer udpSink() {
		return INSTANCE.udpSink;
	}

	/** A loopback TCP port the policy allows and nothing listens on. */
	public static int refusedTcpPort() {
		return INSTANCE.refusedTcpPort;
	}

	/** A loopback UDP port the policy allows and nothing is bound to. */
	public static int closedUdpPort() {
		return INSTANCE.closedUdpPort;
	}

	/** A loopback TCP port listeners may use but another socket holds. */
	public static int busyTcpPort() {
		return INSTANCE.busy.getLocalPort();
	}

	/**
	 * Points the gateway at the shared peers: policy rules for each of their ports only,
	 * two named targets, and listener ports 0, 10000-10999, 30000-60999 and the busy one.
	 * @param registry the test's property registry
	 */
	static void register(DynamicPropertyRegistry registry) {
		int[] allowed = { tcpEcho().port(), held().port(), refusedTcpPort(), udpEcho().port(), udpSink().port(),
				closedUdpPort() };
		for (int i = 0; i < allowed.length; i++) {
			int port = allowed[i];
			registry.add("gateway.policy.allow[" + i + "]", () -> "127.0.0.1/32:" + port);
		}
		registry.add("gateway.targets." + TCP_ECHO_TARGET + ".host", () -> "127.0.0.1");
		registry.add("gateway.targets." + TCP_ECHO_TARGET + ".port", () -> tcpEcho().port());
		registry.add("gateway.targets." + UDP_ECHO_TARGET + ".host", () -> "127.0.0.1");
		registry.add("gateway.targets." + UDP_ECHO_TARGET + ".port", () -> udpEcho().port());
		registry.add("gateway.targets." + UDP_ECHO_TARGET + ".protocol", () -> "udp");
		registry.add("gateway.listeners.allowed-ports[0]", () -> "0");
		registry.add("gateway.listeners.allowed-ports[1]", () -> "10000-10999");
		registry.add("gateway.listeners.allowed-ports[2]", () -> "30000-60999");
		registry.add("gateway.listeners.allowed-ports[3]", () -> busyTcpPort());
	}

}
