package dev.socketgateway.tcp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

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
		String host = address.getHostAddress();
		int zone = host.indexOf('%');
		if (zone >= 0) {
			host = host.substring(0, zone);
		}
		if (address instanceof Inet6Address) {
			host = "[" + compress(host) + "]";
		}
		return host + ":" + port;
	}

	/**
	 * Formats a socket address.
	 * @param address the socket address
	 * @return {@code ip:port}
	 */
	public static String format(InetSocketAddress address) {
		return format(address.getAddress(), address.getPort());
	}

	private static String compress(String full) {
		// Java prints 0:0:0:0:0:0:0:1; people and RFC 5952 write ::1.
		String[] groups = full.split(":");
		int bestStart = -1;
		int bestLength = 0;
		for (int i = 0; i < groups.length; i++) {
			int j = i;
			while (j < groups.length && groups[j].equals("0")) {
				j++;
			}
			if (j - i > bestLength && j - i > 1) {
				bestStart = i;
				bestLength = j - i;
			}
		}
		if (bestStart < 0) {
			return full;
		}
		String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
		String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
		return head + "::" + tail;
	}

}
