package dev.socketgateway.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.GatewayProperties.TargetProperties;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.payload.Framing;

/**
 * Turns what a request names into a {@link ResolvedTarget}, enforcing the egress policy.
 * <p>
 * Named targets are checked once at start-up and are always allowed. Ad-hoc hosts are
 * validated, resolved once, and every address must pass the {@link TargetPolicy}; the
 * result carries exactly the checked addresses, so callers never look the name up again.
 * No TCP target may be one of the gateway's own HTTP or management endpoints.
 */
@Component
public class Targets {

	private final Map<String, NamedTarget> named;

	private final TargetPolicy policy;

	private final HostResolver resolver;

	private final OwnEndpoints ownEndpoints;

	private final GatewayMetrics metrics;

	Targets(GatewayProperties properties, TargetPolicy policy, HostResolver resolver, OwnEndpoints ownEndpoints,
			GatewayMetrics metrics) {
		this.named = namedTargets(properties.targets());
		this.policy = policy;
		this.resolver = resolver;
		this.ownEndpoints = ownEndpoints;
		this.metrics = metrics;
	}

	/**
	 * Resolves and checks a target.
	 * @param request what the request names
	 * @param protocol the endpoint's protocol
	 * @return the checked target
	 * @throws dev.socketgateway.GatewayException VALIDATION_FAILED, TARGET_NOT_FOUND,
	 * UNKNOWN_HOST or TARGET_FORBIDDEN
	 */
	public ResolvedTarget resolve(TargetRequest request, Protocol protocol) {
		try {
			return (request.target() != null) ? named(request, protocol) : adHoc(request, protocol);
		}
		catch (GatewayException ex) {
			String reason = switch (ex.code()) {
				case TARGET_FORBIDDEN -> "forbidden";
				case UNKNOWN_HOST -> "unknown-host";
				default -> null;
			};
			if (reason != null) {
				String tag = (request.target() != null) ? request.target() : GatewayMetrics.ADHOC;
				this.metrics.failure(protocol.value(), reason, tag);
			}
			throw ex;
		}
	}

	private ResolvedTarget named(TargetRequest request, Protocol protocol) {
		String name = request.target();
		if (request.host() != null || request.port() != null) {
			throw GatewayException.invalidField("target", "give either target, or host and port, not both");
		}
		if (name == null || name.isBlank()) {
			throw GatewayException.invalidField("target", "must not be blank");
		}
		NamedTarget target = this.named.get(name);
		if (target == null) {
			throw new GatewayException(ErrorCode.TARGET_NOT_FOUND, "no target named " + HostLiterals.quote(name)
					+ " is configured (gateway.targets); "
					+ (this.named.isEmpty() ? "none are" : "configured: " + String.join(", ", this.named.keySet())));
		}
		if (target.protocol != protocol) {
			throw GatewayException.invalidField("target",
					"target '" + name + "' is a " + target.protocol + " target; use "
							+ ((target.protocol == Protocol.UDP) ? "/api/v1/udp/datagrams"
									: "/api/v1/tcp/exchange or /api/v1/tcp/connections"));
		}
		List<InetAddress> addresses;
		if (target.literal != null) {
			addresses = List.of(target.literal);
		}
		else {
			addresses = lookUp(target.host,
					() -> "target '" + name + "' has host " + HostLiterals.quote(target.host)
							+ ", which does not resolve: check gateway.targets." + name
							+ ".host and that the gateway's network can resolve it");
		}
		for (InetAddress address : addresses) {
			String refusal = ownEndpoint(protocol, address, target.port);
			if (refusal != null) {
				throw new GatewayException(ErrorCode.TARGET_FORBIDDEN, "target '" + name + "': " + refusal);
			}
		}
		return new ResolvedTarget(name, target.host, addresses, target.port, protocol, target.framing, target.tls,
				target.tlsBundle, target.sendFraming, target.pool);
	}

	private ResolvedTarget adHoc(TargetRequest request, Protocol protocol) {
		String host = request.host();
		Integer port = request.port();
		Map<String, String> errors = new LinkedHashMap<>();
		InetAddress literal = null;
		if (host == null && port == null) {
			errors.put("host", "give host and port, or the name of a configured target in 'target'");
			errors.put("port", "give host and port, or the name of a configured target in 'target'");
		}
		if (host == null && port != null) {
			errors.put("host", "is required with port");
		}
		if (host != null) {
			try {
				literal = HostLiterals.parse(host);
			}
			catch (IllegalArgumentException ex) {
				errors.put("host", String.valueOf(ex.getMessage()));
			}
		}
		if (port == null && host != null) {
			errors.put("port", "is required with host");
		}
		if (port != null && (port < 1 || port > 65535)) {
			errors.put("port", "must be between 1 and 65535, was " + port);
		}
		if (!errors.isEmpty()) {
			throw invalidFields(errors);
		}
		String unbracketed = HostLiterals.unbracketed(host);
		List<InetAddress> addresses = (literal != null) ? List.of(literal)
				: lookUp(host, () -> "host " + HostLiterals.quote(host)
						+ " does not resolve: check its spelling, and that the gateway's network (its DNS, not yours)"
						+ " can resolve it");
		for (InetAddress address : addresses) {
			String reason = this.policy.check(address, port).reason();
			if (reason == null) {
				reason = ownEndpoint(protocol, address, port);
			}
			if (reason != null) {
				String via = (literal != null) ? ""
						: HostLiterals.quote(host) + " resolves to " + HostLiterals.toText(address)
								+ ((addresses.size() > 1) ? " (one of its " + addresses.size() + " addresses)" : "")
								+ "; ";
				throw new GatewayException(ErrorCode.TARGET_FORBIDDEN, via + reason);
			}
		}
		return new ResolvedTarget(null, unbracketed, addresses, port, protocol, null, false, null, null, true);
	}

	private List<InetAddress> lookUp(String host, Supplier<String> unknown) {
		List<InetAddress> found;
		try {
			found = this.resolver.resolve(host);
		}
		catch (UnknownHostException ex) {
			throw new GatewayException(ErrorCode.UNKNOWN_HOST, unknown.get(), ex);
		}
		List<InetAddress> addresses = new ArrayList<>(found.size());
		for (InetAddress address : found) {
			if (address != null) {
				addresses.add(address);
			}
		}
		if (addresses.isEmpty()) {
			throw new GatewayException(ErrorCode.UNKNOWN_HOST, unknown.get());
		}
		return List.copyOf(addresses);
	}

	private @Nullable String ownEndpoint(Protocol protocol, InetAddress address, int port) {
		// the HTTP and management ports are TCP; a UDP port of the same number is another
		// port
		return (protocol == Protocol.TCP) ? this.ownEndpoints.refusal(address, port) : null;
	}

	private static GatewayException invalidFields(Map<String, String> errors) {
		if (errors.size() == 1) {
			Map.Entry<String, String> error = errors.entrySet().iterator().next();
			return GatewayException.invalidField(error.getKey(), error.getValue());
		}
		List<Map<String, Object>> list = new ArrayList<>();
		List<String> details = new ArrayList<>();
		errors.forEach((field, message) -> {
			list.add(Map.of("field", field, "message", message));
			details.add(field + ": " + message);
		});
		return new GatewayException(ErrorCode.VALIDATION_FAILED, String.join("; ", details), null,
				Map.of("errors", List.copyOf(list)), null);
	}

	private static Map<String, NamedTarget> namedTargets(Map<String, TargetProperties> targets) {
		Map<String, NamedTarget> named = new TreeMap<>();
		targets.forEach((name, target) -> {
			String property = "gateway.targets." + name;
			try {
				InetAddress literal = HostLiterals.parse(target.host());
				if (literal != null && HostLiterals.isMapped(literal.getAddress())) {
					// configured targets are trusted: connect to the IPv4 address it maps
					literal = InetAddress.getByAddress(literal.getAddress());
				}
				Protocol protocol;
				try {
					protocol = Protocol.of(target.protocol());
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(property + ".protocol: " + ex.getMessage(), ex);
				}
				Framing framing;
				Framing sendFraming;
				try {
					framing = (target.framing() != null) ? target.framing().toFraming() : null;
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(property + ".framing: " + ex.getMessage(), ex);
				}
				try {
					sendFraming = (target.sendFraming() != null) ? target.sendFraming().toFraming() : null;
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(property + ".send-framing: " + ex.getMessage(), ex);
				}
				named.put(name, new NamedTarget(HostLiterals.unbracketed(target.host()), literal, target.port(),
						protocol, framing, target.tls(), target.tlsBundle(), sendFraming, target.pool()));
			}
			catch (UnknownHostException ex) {
				throw new IllegalStateException(ex);
			}
			catch (IllegalArgumentException ex) {
				String message = String.valueOf(ex.getMessage());
				throw new IllegalArgumentException(
						message.startsWith(property) ? message : property + ".host: " + message, ex);
			}
		});
		return named;
	}

	private record NamedTarget(String host, @Nullable InetAddress literal, int port, Protocol protocol,
			@Nullable Framing framing, boolean tls, @Nullable String tlsBundle, @Nullable Framing sendFraming,
			boolean pool) {

	}

}
