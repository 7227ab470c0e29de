package dev.socketgateway.metrics;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.MDC;

import org.springframework.stereotype.Component;

/**
 * One line per exchange, datagram, session open/close and listener change: who, what,
 * bytes, outcome, duration and request id. Payloads and keys are never logged.
 */
@Component
public class AuditLog {

	/** MDC key of the request id. */
	public static final String REQUEST_ID = "requestId";

	/** MDC key of the API key id (never the key). */
	public static final String KEY_ID = "keyId";

	private static final Log logger = LogFactory.getLog("dev.socketgateway.audit");

	/**
	 * Logs one audited action.
	 * @param action e.g. {@code tcp.exchange}, {@code session.open}
	 * @param target the named target, {@code adhoc}, or an id
	 * @param remote {@code ip:port}, or {@code -}
	 * @param bytesSent wire bytes written
	 * @param bytesReceived wire bytes read
	 * @param outcome {@code ok} or an error code
	 * @param durationMs how long it took
	 */
	public void record(String action, String target, String remote, long bytesSent, long bytesReceived, String outcome,
			long durationMs) {
		if (logger.isInfoEnabled()) {
			String keyId = MDC.get(KEY_ID);
			String requestId = MDC.get(REQUEST_ID);
			logger.info("audit action=" + action + " key=" + ((keyId != null) ? keyId : "-") + " target=" + target
					+ " remote=" + remote + " bytesSent=" + bytesSent + " bytesReceived=" + bytesReceived + " outcome="
					+ outcome + " durationMs=" + durationMs + " requestId=" + ((requestId != null) ? requestId : "-"));
		}
	}

}
