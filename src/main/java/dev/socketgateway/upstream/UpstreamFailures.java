package dev.socketgateway.upstream;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.MessageTimeoutException;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.payload.FrameTooLargeException;
import dev.socketgateway.payload.TruncatedFrameException;

/**
 * Turns socket-level failures into problem details that say what to check, and names the
 * metric reason of each code.
 */
public final class UpstreamFailures {

	private UpstreamFailures() {
	}

	/**
	 * The {@code gateway.connection.failures} reason of an error code.
	 * @param code the code
	 * @return the reason, or {@code ""} when the code is not a connection failure
	 */
	public static String reason(ErrorCode code) {
		return switch (code) {
			case CONNECTION_REFUSED -> "refused";
			case CONNECT_TIMEOUT -> "connect-timeout";
			case UNKNOWN_HOST -> "unknown-host";
			case TARGET_FORBIDDEN -> "forbidden";
			case TLS_HANDSHAKE_FAILED -> "tls";
			case CONNECTION_RESET -> "reset";
			case PEER_CLOSED -> "peer-closed";
			case REPLY_TIMEOUT -> "reply-timeout";
			case FRAME_TOO_LARGE -> "frame-too-large";
			default -> "";
		};
	}

	/**
	 * Maps a failure while connecting.
	 * @param ex the failure (any wrapper)
	 * @param remote {@code ip:port}
	 * @param connectTimeoutMs the connect timeout used
	 * @return the problem to report
	 */
	public static GatewayException connectFailure(Throwable ex, String remote, int connectTimeoutMs) {
		UpstreamConnectException mapped = find(ex, UpstreamConnectException.class);
		if (mapped != null) {
			return mapped.problem();
		}
		GatewayException gateway = find(ex, GatewayException.class);
		if (gateway != null) {
			return gateway;
		}
		Throwable cause = find(ex, SSLException.class);
		if (cause != null) {
			return tls(cause, remote, "the client trust store");
		}
		if (find(ex, SocketTimeoutException.class) != null) {
			return new GatewayException(ErrorCode.CONNECT_TIMEOUT, "connecting to " + remote + " took longer than "
					+ connectTimeoutMs
					+ " ms: check that the host is up and that no firewall drops packets to that port, or raise connectTimeoutMs",
					ex);
		}
		if (find(ex, NoRouteToHostException.class) != null) {
			return new GatewayException(ErrorCode.CONNECTION_REFUSED,
					"no route to " + remote + ": the host is unreachable from the gateway's network", ex);
		}
		if (find(ex, UnknownHostException.class) != null) {
			return new GatewayException(ErrorCode.UNKNOWN_HOST, "the host of " + remote + " does not resolve", ex);
		}
		return new GatewayException(ErrorCode.CONNECTION_REFUSED, remote
				+ " refused the connection: nothing listens on that port, or a firewall rejects it; check the port number and that the server is running",
				ex);
	}

	/**
	 * Maps a failure of the TLS handshake over a connected socket.
	 * @param ex the failure
	 * @param remote {@code ip:port}
	 * @param connectTimeoutMs the connect timeout, which bounds the handshake too
	 * @param trust the trust material that verified the server, for an untrusted
	 * certificate
	 * @return the problem to report
	 */
	static GatewayException handshakeFailure(Throwable ex, String remote, int connectTimeoutMs, String trust) {
		if (find(ex, SocketTimeoutException.class) != null) {
			return new GatewayException(ErrorCode.CONNECT_TIMEOUT, "TCP connected to " + remote
					+ ", but the TLS handshake got no answer within " + connectTimeoutMs
					+ " ms (connectTimeoutMs): is it a TLS port? A plaintext server waits silently for the client to speak first",
					ex);
		}
		SSLException ssl = find(ex, SSLException.class);
		if (ssl != null) {
			return tls(ssl, remote, trust);
		}
		return new GatewayException(ErrorCode.TLS_HANDSHAKE_FAILED, "TLS handshake with " + remote
				+ " failed: the connection broke during the handshake; is the server speaking TLS on that port? ("
				+ rootMessage(ex) + ")", ex);
	}

	/**
	 * Maps a failure after the connection was open.
	 * @param ex the failure (any wrapper)
	 * @param remote {@code ip:port}
	 * @param framing the framing the reply was read with
	 * @param replyTimeoutMs the reply deadline
	 * @return the problem to report
	 */
	public static GatewayException exchangeFailure(Throwable ex, String remote, String framing, long replyTimeoutMs) {
		GatewayException gateway = find(ex, GatewayException.class);
		if (gateway != null) {
			return gateway;
		}
		FrameTooLargeException tooLarge = find(ex, FrameTooLargeException.class);
		if (tooLarge != null) {
			return new GatewayException(ErrorCode.FRAME_TOO_LARGE,
					remote + " sent a frame larger than " + tooLarge.limit()
							+ " bytes (gateway.limits.max-frame-bytes); check the framing (" + framing
							+ ") matches what the server sends",
					ex);
		}
		if (find(ex, TruncatedFrameException.class) != null || find(ex, SoftEndOfStreamException.class) != null) {
			return new GatewayException(ErrorCode.PEER_CLOSED,
					remote + " closed the connection before a complete " + framing
							+ " frame arrived: the server may not understand the request, or expects another framing",
					ex);
		}
		if (find(ex, MessageTimeoutException.class) != null || find(ex, SocketTimeoutException.class) != null) {
			return replyTimeout(remote, framing, replyTimeoutMs, ex);
		}
		SSLException ssl = find(ex, SSLException.class);
		if (ssl != null) {
			return tls(ssl, remote, "the client trust store");
		}
		if (find(ex, PortUnreachableException.class) != null) {
			return new GatewayException(ErrorCode.CONNECTION_REFUSED, remote + " answered 'port unreachable'", ex);
		}
		SocketException socket = find(ex, SocketException.class);
		if (socket != null) {
			return new GatewayException(ErrorCode.CONNECTION_RESET,
					remote + " reset the connection (" + socket.getMessage() + "): the server aborted; check its logs",
					ex);
		}
		return new GatewayException(ErrorCode.CONNECTION_RESET,
				"the connection to " + remote + " failed: " + rootMessage(ex), ex);
	}

	/**
	 * A write that did not finish by the request's deadline.
	 * @param remote {@code ip:port}
	 * @param deadlineMs the deadline
	 * @return {@code REPLY_TIMEOUT} saying the server does not read
	 */
	public static GatewayException writeTimeout(String remote, long deadlineMs) {
		return new GatewayException(ErrorCode.REPLY_TIMEOUT,
				"writing to " + remote + " did not finish within " + deadlineMs
						+ " ms (replyTimeoutMs): the server is not reading what is sent; the connection was closed",
				new SocketTimeoutException("write timed out"));
	}

	public static GatewayException replyTimeout(String remote, String framing, long replyTimeoutMs, Throwable cause) {
		return new GatewayException(ErrorCode.REPLY_TIMEOUT,
				"no complete reply from " + remote + " within " + replyTimeoutMs
						+ " ms: check that the server answers this message and that it ends its reply with the "
						+ framing + " framing (a mismatched framing looks exactly like a silent server)",
				cause);
	}

	private static GatewayException tls(Throwable ssl, String remote, String trust) {
		String why = rootMessage(ssl);
		String hint;
		String lower = why.toLowerCase(java.util.Locale.ROOT);
		if (lower.contains("no subject alternative") || lower.contains("no name matching")) {
			hint = "the certificate does not name the host you asked for";
		}
		else if (lower.contains("pkix") || lower.contains("certification path")
				|| lower.contains("unable to find valid")) {
			hint = "the certificate is not trusted by " + trust
					+ ": add the server's CA to it, or name another bundle (gateway.tls.client-bundle, or the target's tls-bundle)";
		}
		else if (lower.contains("protocol") || lower.contains("plaintext") || lower.contains("unrecognized ssl")) {
			hint = "protocol mismatch: is the server speaking TLS on that port?";
		}
		else {
			hint = "see the reason";
		}
		return new GatewayException(ErrorCode.TLS_HANDSHAKE_FAILED,
				"TLS handshake with " + remote + " failed: " + hint + " (" + why + ")",
				ssl instanceof SSLHandshakeException ? ssl : null);
	}

	static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	public static <T extends Throwable> @Nullable T find(Throwable ex, Class<T> type) {
		Throwable current = ex;
		for (int depth = 0; current != null && depth < 16; depth++) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			current = current.getCause();
		}
		return null;
	}

}
