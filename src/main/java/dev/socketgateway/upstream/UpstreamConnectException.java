package dev.socketgateway.upstream;

import java.io.IOException;

import dev.socketgateway.GatewayException;

/**
 * A connect or TLS handshake that failed, already mapped to the problem the caller gets:
 * an {@link IOException} so that it passes through Spring Integration's connection
 * factories unchanged.
 */
public class UpstreamConnectException extends IOException {

	private final GatewayException problem;

	UpstreamConnectException(GatewayException problem) {
		super(problem.getMessage(), problem.getCause());
		this.problem = problem;
	}

	/**
	 * What to answer.
	 * @return the problem
	 */
	public GatewayException problem() {
		return this.problem;
	}

}
