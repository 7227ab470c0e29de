package dev.socketgateway.egress;

import java.net.InetAddress;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.socketgateway.payload.Framing;

/**
 * A target that passed the policy: the addresses to connect to, in order, exactly as they
 * were checked (no second lookup).
 *
 * @param name the named target, or {@code null} for an ad-hoc host
 * @param host the host as configured or requested (for TLS name verification and logs)
 * @param addresses the checked addresses, first one first
 * @param port the port
 * @param protocol the target's protocol
 * @param framing the named target's framing, if it has one
 * @param tls whether the named target requires TLS
 * @param tlsBundle the named target's SSL bundle, if any
 * @param sendFraming the named target's send framing, if it differs from its framing
 * @param pool whether one-shot exchanges may use pooled connections
 */
public record ResolvedTarget(@Nullable String name, String host, List<InetAddress> addresses, int port,
		Protocol protocol, @Nullable Framing framing, boolean tls, @Nullable String tlsBundle,
		@Nullable Framing sendFraming, boolean pool) {

	/**
	 * The metric tag value: the target's name or {@code adhoc}, never a host.
	 * @return the tag
	 */
	public String tag() {
		return (this.name != null) ? this.name : "adhoc";
	}

}
