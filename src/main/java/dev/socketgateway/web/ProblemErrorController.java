package dev.socketgateway.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.socketgateway.ErrorCode;

/**
 * Replaces Boot's error page: whatever the container or a filter sends to {@code /error}
 * answers problem details with a code, never Boot's default body.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

	private final ApiPaths paths;

	ProblemErrorController(ApiPaths paths) {
		this.paths = paths;
	}

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request, HttpServletResponse response) {
		Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		int status = (statusAttribute instanceof Integer value) ? value : HttpStatus.NOT_FOUND.value();
		Throwable exception = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
		Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		String path = (uri != null) ? uri.toString() : request.getRequestURI();
		ErrorCode code;
		String detail;
		if (find(exception, InvalidParameterException.class) != null) {
			status = HttpStatus.BAD_REQUEST.value();
			code = ErrorCode.VALIDATION_FAILED;
			detail = ProblemDetailsAdvice.BAD_ENCODING;
		}
		else if (status >= 500) {
			code = null;
			detail = "the gateway failed unexpectedly; the request id leads to the log line";
		}
		else {
			code = ProblemDetailsAdvice.codeFor(status);
			detail = switch (code) {
				case NOT_FOUND -> this.paths.notFound(path);
				case METHOD_NOT_ALLOWED -> "this path does not accept " + request.getMethod();
				case PAYLOAD_TOO_LARGE -> "the request is too large";
				default -> "the request was not valid HTTP for this server: check the URL and headers";
			};
		}
		HttpStatusCode statusCode = HttpStatusCode.valueOf(status);
		ProblemDetail problem;
		if (code != null) {
			problem = ProblemDetailsAdvice.problem(statusCode, code, detail);
		}
		else {
			problem = ProblemDetail.forStatusAndDetail(statusCode, detail);
			problem.setTitle("Internal error");
			problem.setProperty("code", "INTERNAL_ERROR");
		}
		// The request id filter has finished by the time the error dispatch runs.
		problem.setProperty("requestId", response.getHeader(RequestIdFilter.HEADER));
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return new ResponseEntity<>(problem, headers, statusCode);
	}

	private static <T extends Throwable> @Nullable T find(@Nullable Throwable ex, Class<T> type) {
		Throwable current = ex;
		while (current != null) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			current = current.getCause();
		}
		return null;
	}

}
