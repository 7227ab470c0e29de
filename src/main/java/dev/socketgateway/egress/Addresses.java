package dev.socketgateway.egress;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import dev.socketgateway.egress.HostLiterals;

/**
 * The API's address format: {@code ip:port}, IPv6 as {@code [::1]:7000}.
 */
public final class Addresses {

	private Addresses() {
	}

	/**
	 * Formats an address and port.
	 * @param address the address
	 * @param port the port
	 * @return {@code ip:port}
	 */
	public static String format(InetAddress address, int port) {
		return HostLiterals.toText(address, port);
	}

	/**
	 * Formats a socket address.
	 * @param address the socket address
	 * @return {@code ip:port}
	 */
	public static String format(InetSocketAddress address) {
		return format(address.getAddress(), address.getPort());
	}

}
