package dev.socketgateway.egress;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * The gateway's own HTTP and management ports on its own addresses, which it never
 * connects to.
 * <p>
 * Ports are learnt from {@link WebServerInitializedEvent}s: the management server runs in
 * a child context whose events reach this listener in the parent. Own addresses are
 * loopback, the unspecified address and every address of every local network interface,
 * enumerated once at start-up (no DNS).
 */
@Component
class OwnEndpoints implements ApplicationListener<WebServerInitializedEvent> {

	private static final Log logger = LogFactory.getLog(OwnEndpoints.class);

	private final Set<InetAddress> localAddresses;

	private final Map<Integer, String> ports = new ConcurrentHashMap<>();

	OwnEndpoints() {
		this(interfaceAddresses());
	}

	OwnEndpoints(Collection<InetAddress> localAddresses) {
		Set<InetAddress> addresses = new HashSet<>();
		for (InetAddress address : localAddresses) {
			addresses.add(withoutScope(address));
		}
		this.localAddresses = Set.copyOf(addresses);
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		int port = event.getWebServer().getPort();
		if (port > 0) {
			String namespace = event.getApplicationContext().getServerNamespace();
			this.ports.put(port, "management".equals(namespace) ? "management" : "HTTP");
		}
	}

	/**
	 * Why a TCP connection to this address and port would reach the gateway itself.
	 * @param address a resolved address
	 * @param port the port
	 * @return the reason, or {@code null} when it is not one of the gateway's own
	 * endpoints
	 */
	@Nullable String refusal(InetAddress address, int port) {
		String what = this.ports.get(port);
		if (what == null || !isOwnAddress(address)) {
			return null;
		}
		return HostLiterals.toText(address, port) + " is this gateway's own " + what
				+ " port; the gateway never connects to its own HTTP or management port";
	}

	/**
	 * The ports learnt so far, with what they serve.
	 * @return port to {@code HTTP} or {@code management}
	 */
	Map<Integer, String> ports() {
		return Map.copyOf(this.ports);
	}

	boolean isOwnAddress(InetAddress address) {
		return address.isLoopbackAddress() || address.isAnyLocalAddress()
				|| this.localAddresses.contains(withoutScope(address));
	}

	private static InetAddress withoutScope(InetAddress address) {
		try {
			return InetAddress.getByAddress(address.getAddress());
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Set<InetAddress> interfaceAddresses() {
		Set<InetAddress> addresses = new HashSet<>();
		try {
			for (NetworkInterface networkInterface : java.util.Collections
				.list(NetworkInterface.getNetworkInterfaces())) {
				addresses.addAll(java.util.Collections.list(networkInterface.getInetAddresses()));
			}
		}
		catch (SocketException ex) {
			logger.warn("Cannot list the local network interfaces; only loopback and the unspecified address count as"
					+ " the gateway's own addresses", ex);
		}
		return addresses;
	}

}
