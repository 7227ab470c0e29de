package dev.socketgateway.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayProperties;

/**
 * Caps HTTP request bodies at 4/3 of {@code gateway.limits.max-payload-bytes} plus 64 KiB
 * (room for base64 and JSON): a larger {@code Content-Length} is answered 413 before the
 * body is read, and a chunked body is cut off with 413 as soon as it passes the cap, so
 * no body is ever buffered whole beyond it. Runs after API-key security (401 first).
 */
@Component
@Order(0)
class BodyLimitFilter extends OncePerRequestFilter {

	private final long cap;

	private final JsonMapper mapper;

	BodyLimitFilter(GatewayProperties properties, JsonMapper mapper) {
		this.cap = properties.limits().maxPayloadBytes().toBytes() * 4 / 3 + 64 * 1024;
		this.mapper = mapper;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long length = request.getContentLengthLong();
		if (length > this.cap) {
			reject(response, "the request body is " + length + " bytes");
			return;
		}
		chain.doFilter(new CappedRequest(request, this.cap), response);
	}

	private void reject(HttpServletResponse response, String what) throws IOException {
		response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		// Closing tells the client (and Tomcat) not to send or drain the rest.
		response.setHeader("Connection", "close");
		response.getOutputStream()
			.write(this.mapper.writeValueAsBytes(ProblemDetailsAdvice.problem(HttpStatus.CONTENT_TOO_LARGE,
					ErrorCode.PAYLOAD_TOO_LARGE, message(what, this.cap))));
	}

	static String message(String what, long cap) {
		return what + "; the HTTP body limit is " + cap
				+ " bytes (4/3 of gateway.limits.max-payload-bytes plus 64 KiB): send a smaller payload";
	}

	/**
	 * Thrown by the capped stream once a body passes the cap; the problem-details advice
	 * answers it with 413.
	 */
	static final class BodyTooLargeException extends IOException {

		private final long cap;

		BodyTooLargeException(long cap) {
			super(message("the request body is larger than " + cap + " bytes", cap));
			this.cap = cap;
		}

		long cap() {
			return this.cap;
		}

	}

	private static final class CappedRequest extends HttpServletRequestWrapper {

		private final long cap;

		private ServletInputStream stream;

		CappedRequest(HttpServletRequest request, long cap) {
			super(request);
			this.cap = cap;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new CappedStream(super.getInputStream(), this.cap);
			}
			return this.stream;
		}

		@Override
		public java.io.BufferedReader getReader() throws IOException {
			String encoding = getCharacterEncoding();
			return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
					(encoding != null) ? encoding : java.nio.charset.StandardCharsets.UTF_8.name()));
		}

	}

	private static final class CappedStream extends ServletInputStream {

		private final ServletInputStream in;

		private final long cap;

		private long count;

		CappedStream(ServletInputStream in, long cap) {
			this.in = in;
			this.cap = cap;
		}

		@Override
		public int read() throws IOException {
			int b = this.in.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.in.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws IOException {
			this.count += n;
			if (this.count > this.cap) {
				throw new BodyTooLargeException(this.cap);
			}
		}

		@Override
		public boolean isFinished() {
			return this.in.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.in.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.in.setReadListener(listener);
		}

	}

}
