package dev.socketgateway.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a host name to its addresses; injected so tests never look up a real name.
 */
@FunctionalInterface
public interface HostResolver {

	/**
	 * Every address of the name, in the resolver's order.
	 * @param host a host name (never an IP literal)
	 * @return at least one address
	 * @throws UnknownHostException when the name does not resolve
	 */
	List<InetAddress> resolve(String host) throws UnknownHostException;

}
