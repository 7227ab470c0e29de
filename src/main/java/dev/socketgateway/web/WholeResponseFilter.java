package dev.socketgateway.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

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
 * one write, as it does for a plain body. Streams (SSE, anything asynchronous) still
 * flush at once: Spring MVC sends an event stream's headers with its first write, after
 * the request went asynchronous. An answer larger than the response buffer still streams.
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
				if (request.isAsyncStarted()) {
					super.flushBuffer();
				}
			}

		});
	}

}
