package dev.socketgateway.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The default {@link HostResolver}: the JVM's resolver (hosts file, then DNS), with its
 * address cache.
 * <p>
 * Tests replace the {@code hostResolver} bean with a map-based fake through
 * {@code @TestBean} or {@code @MockitoBean}, so no test looks up a real name.
 */
class SystemHostResolver implements HostResolver {

	@Override
	public List<InetAddress> resolve(String host) throws UnknownHostException {
		return List.of(InetAddress.getAllByName(host));
	}

}
