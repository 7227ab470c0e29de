package dev.socketgateway.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a small answer leave in one piece. Spring MVC flushes the response after writing a
 * {@code ResponseEntity} (exchanges, datagrams, session opens, problem details), which
 * commits it early: Tomcat then sends it chunked, the headers and body in one write and
 * the last chunk in another, and the client wakes twice. Holding that flush back until
 * the handler returns lets Tomcat send the whole answer with a {@code Content-Length} in
 * one write, as it does for a plain body. Streams still flush at once: an event stream
 * commits its headers before its first event (an idle session's stream must answer at
 * once, not with its first message), and anything asynchronous flushes as it goes. An
 * answer larger than the response buffer still streams.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class WholeResponseFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(request, new HttpServletResponseWrapper(response) {

			@Override
			public void flushBuffer() throws IOException {
				if (request.isAsyncStarted() || isEventStream(getContentType())) {
					super.flushBuffer();
				}
			}

		});
	}

	private static boolean isEventStream(@Nullable String contentType) {
		return contentType != null && contentType.regionMatches(true, 0, "text/event-stream", 0, 17);
	}

}
