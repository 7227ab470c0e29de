package dev.socketgateway.target;

import org.springframework.stereotype.Component;

/**
 * Turns what a request names into a {@link ResolvedTarget}, enforcing the egress policy.
 */
@Component
public class Targets {

	/**
	 * Resolves and checks a target.
	 * @param request what the request names
	 * @param protocol the endpoint's protocol
	 * @return the checked target
	 * @throws dev.socketgateway.GatewayException VALIDATION_FAILED, TARGET_NOT_FOUND,
	 * UNKNOWN_HOST or TARGET_FORBIDDEN
	 */
	public ResolvedTarget resolve(TargetRequest request, Protocol protocol) {
		throw new UnsupportedOperationException("implemented on the target branch");
	}

}
