package dev.socketgateway.listener;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;

/**
 * Where listeners may bind: {@code gateway.listeners.allowed-ports} (ports and ranges
 * such as {@code 10000-10999} and {@code 0}) and {@code allowed-bind-addresses}.
 */
final class ListenerPorts {

	private final List<int[]> ranges = new ArrayList<>();

	private final List<InetAddress> addresses = new ArrayList<>();

	private final List<String> allowedPorts;

	private final List<String> allowedAddresses;

	ListenerPorts(GatewayProperties.Listeners listeners) {
		this.allowedPorts = listeners.allowedPorts();
		this.allowedAddresses = listeners.allowedBindAddresses();
		for (String entry : listeners.allowedPorts()) {
			String trimmed = entry.trim();
			int dash = trimmed.indexOf('-');
			try {
				int low = Integer.parseInt((dash < 0) ? trimmed : trimmed.substring(0, dash).trim());
				int high = (dash < 0) ? low : Integer.parseInt(trimmed.substring(dash + 1).trim());
				this.ranges.add(new int[] { low, high });
			}
			catch (NumberFormatException ex) {
				throw new IllegalStateException(
						"gateway.listeners.allowed-ports: '" + entry + "' is not a port or a range like 10000-10999",
						ex);
			}
		}
		for (String address : listeners.allowedBindAddresses()) {
			this.addresses.add(literal(address.trim()));
		}
	}

	private static InetAddress literal(String address) {
		try {
			return InetAddress.getByName(address);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("not an IP address: " + address, ex);
		}
	}

	/**
	 * Refuses a port or address outside the allowed lists.
	 * @param bindAddress the address
	 * @param port the port
	 */
	void check(String bindAddress, int port) {
		boolean literal = !bindAddress.isEmpty()
				&& (Character.isDigit(bindAddress.charAt(0)) || bindAddress.contains(":"));
		InetAddress address = null;
		if (literal) {
			try {
				address = InetAddress.getByName(bindAddress);
			}
			catch (UnknownHostException ex) {
				address = null;
			}
		}
		if (address == null) {
			throw GatewayException.invalidField("bindAddress", "must be an IP address, e.g. 127.0.0.1");
		}
		if (!this.addresses.contains(address)) {
			throw new GatewayException(ErrorCode.LISTENER_PORT_FORBIDDEN, "bind address " + bindAddress
					+ " is not allowed; gateway.listeners.allowed-bind-addresses is " + this.allowedAddresses);
		}
		for (int[] range : this.ranges) {
			if (port >= range[0] && port <= range[1]) {
				return;
			}
		}
		throw new GatewayException(ErrorCode.LISTENER_PORT_FORBIDDEN, "port " + port
				+ " is not allowed; gateway.listeners.allowed-ports is " + this.allowedPorts + " (0 = any free port)");
	}

}
