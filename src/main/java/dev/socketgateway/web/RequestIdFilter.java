package dev.socketgateway.web;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.socketgateway.metrics.AuditLog;

/**
 * Echoes the caller's {@code X-Request-Id} (or a new one) on every response and puts it
 * in the logging context.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter extends OncePerRequestFilter {

	static final String HEADER = "X-Request-Id";

	private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = request.getHeader(HEADER);
		if (id == null || !SAFE.matcher(id).matches()) {
			id = newId();
		}
		response.setHeader(HEADER, id);
		MDC.put(AuditLog.REQUEST_ID, id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(AuditLog.REQUEST_ID);
			MDC.remove(AuditLog.KEY_ID);
		}
	}

	/**
	 * A random (version 4) UUID from {@link ThreadLocalRandom}: a correlation id has to
	 * be unique, not unguessable, and {@link UUID#randomUUID()} draws from one shared
	 * {@code SecureRandom} that every request thread would queue on.
	 * @return a new request id
	 */
	static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
		long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(msb, lsb).toString();
	}

}
