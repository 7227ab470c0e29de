package dev.socketgateway;

import org.springframework.http.HttpStatus;

/**
 * The stable error codes of the API, each with its HTTP status.
 */
public enum ErrorCode {

	/** A field is missing or wrong. */
	VALIDATION_FAILED(HttpStatus.BAD_REQUEST, "Validation failed"),
	/** A payload does not decode in its encoding. */
	INVALID_PAYLOAD(HttpStatus.BAD_REQUEST, "Invalid payload"),
	/** No or a wrong API key. */
	UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Unauthorized"),
	/** The target is outside the egress policy. */
	TARGET_FORBIDDEN(HttpStatus.FORBIDDEN, "Target forbidden"),
	/** The listener port or bind address is not allowed. */
	LISTENER_PORT_FORBIDDEN(HttpStatus.FORBIDDEN, "Listener port forbidden"),
	/** No such session or listener client. */
	CONNECTION_NOT_FOUND(HttpStatus.NOT_FOUND, "Connection not found"),
	/** No such listener. */
	LISTENER_NOT_FOUND(HttpStatus.NOT_FOUND, "Listener not found"),
	/** No such named target. */
	TARGET_NOT_FOUND(HttpStatus.NOT_FOUND, "Target not found"),
	/** No such probe. */
	PROBE_NOT_FOUND(HttpStatus.NOT_FOUND, "Probe not found"),
	/** No endpoint at this path (a DESIGN addition). */
	NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
	/** The path exists but not with this method (a DESIGN addition). */
	METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
	/** The session is closed. */
	CONNECTION_CLOSED(HttpStatus.CONFLICT, "Connection closed"),
	/** The port is already bound. */
	PORT_IN_USE(HttpStatus.CONFLICT, "Port in use"),
	/** The payload or body is too large. */
	PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Payload too large"),
	/** A count limit is reached. */
	LIMIT_EXCEEDED(HttpStatus.TOO_MANY_REQUESTS, "Limit exceeded"),
	/** The peer refused the connection. */
	CONNECTION_REFUSED(HttpStatus.BAD_GATEWAY, "Connection refused"),
	/** The host name does not resolve. */
	UNKNOWN_HOST(HttpStatus.BAD_GATEWAY, "Unknown host"),
	/** The peer closed before a complete reply. */
	PEER_CLOSED(HttpStatus.BAD_GATEWAY, "Peer closed the connection"),
	/** The peer reset the connection. */
	CONNECTION_RESET(HttpStatus.BAD_GATEWAY, "Connection reset"),
	/** The TLS handshake failed. */
	TLS_HANDSHAKE_FAILED(HttpStatus.BAD_GATEWAY, "TLS handshake failed"),
	/** An incoming frame exceeds the frame limit. */
	FRAME_TOO_LARGE(HttpStatus.BAD_GATEWAY, "Frame too large"),
	/** Too many exchanges in flight. */
	OVERLOADED(HttpStatus.SERVICE_UNAVAILABLE, "Overloaded"),
	/** The connect (or TLS handshake) timed out. */
	CONNECT_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "Connect timeout"),
	/** No reply came in time. */
	REPLY_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "Reply timeout");

	private final HttpStatus status;

	private final String title;

	ErrorCode(HttpStatus status, String title) {
		this.status = status;
		this.title = title;
	}

	public HttpStatus status() {
		return this.status;
	}

	public String title() {
		return this.title;
	}

}
