package dev.socketgateway.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.metrics.AuditLog;

/**
 * The one place that turns failures into RFC 9457 problem details with a stable
 * {@code code} and the request id.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	private static final Log logger = LogFactory.getLog(ProblemDetailsAdvice.class);

	/** Java type names in a library's message: `java.lang.Integer`, `int`. */
	private static final Pattern JAVA_TYPE = Pattern.compile("`[A-Za-z_$][\\w$.]*(\\[\\])?`");

	private final ApiPaths paths;

	ProblemDetailsAdvice(ApiPaths paths) {
		this.paths = paths;
	}

	@ExceptionHandler(GatewayException.class)
	ResponseEntity<Object> gateway(GatewayException ex) {
		ProblemDetail problem = problem(ex.code().status(), ex.code(), ex.getMessage());
		ex.properties().forEach(problem::setProperty);
		HttpHeaders headers = new HttpHeaders();
		if (ex.retryAfterSeconds() != null) {
			headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, ex.retryAfterSeconds())));
		}
		return respond(problem, headers);
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException ex) {
		Class<?> type = ex.getRequiredType();
		String expected = (type != null) ? expected(type) : null;
		return invalid(List.of(new FieldProblem(ex.getName(),
				"'" + ex.getValue() + "' is not a valid value" + ((expected != null) ? ": " + expected : ""))));
	}

	@ExceptionHandler(InvalidParameterException.class)
	ResponseEntity<Object> badParameters(InvalidParameterException ex) {
		return problemOnly(HttpStatus.BAD_REQUEST, ErrorCode.VALIDATION_FAILED, BAD_ENCODING);
	}

	static final String BAD_ENCODING = "the query string is not valid: percent-encode UTF-8 bytes (%XX), "
			+ "e.g. %C3%A9 for \u00e9";

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> unexpected(Exception ex) {
		logger.error("Unexpected failure", ex);
		ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.INTERNAL_SERVER_ERROR);
		problem.setTitle("Internal error");
		problem.setDetail("the gateway failed unexpectedly; the request id leads to the log line");
		problem.setProperty("code", "INTERNAL_ERROR");
		problem.setProperty("requestId", MDC.get(AuditLog.REQUEST_ID));
		return respond(problem, new HttpHeaders());
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldProblem> problems = new ArrayList<>();
		for (FieldError error : ex.getBindingResult().getFieldErrors()) {
			problems.add(new FieldProblem(error.getField(), String.valueOf(error.getDefaultMessage())));
		}
		ex.getBindingResult()
			.getGlobalErrors()
			.forEach((error) -> problems
				.add(new FieldProblem(error.getObjectName(), String.valueOf(error.getDefaultMessage()))));
		return invalid(problems);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldProblem> problems = new ArrayList<>();
		ex.getParameterValidationResults()
			.forEach((result) -> result.getResolvableErrors()
				.forEach((error) -> problems
					.add(new FieldProblem(String.valueOf(result.getMethodParameter().getParameterName()),
							String.valueOf(error.getDefaultMessage())))));
		return invalid(problems);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		BodyLimitFilter.BodyTooLargeException tooLarge = find(ex, BodyLimitFilter.BodyTooLargeException.class);
		if (tooLarge != null) {
			HttpHeaders close = new HttpHeaders();
			close.setConnection("close");
			return respond(problem(HttpStatus.CONTENT_TOO_LARGE, ErrorCode.PAYLOAD_TOO_LARGE, tooLarge.getMessage()),
					close);
		}
		JacksonException jackson = find(ex, JacksonException.class);
		FieldProblem field = (jackson != null) ? fieldProblem(jackson) : null;
		if (field != null) {
			return invalid(List.of(field));
		}
		if (jackson != null) {
			TokenStreamLocation location = jackson.getLocation();
			String where = (location != null)
					? "at line " + location.getLineNr() + ", column " + location.getColumnNr() + ": " : "";
			return problemOnly(HttpStatus.BAD_REQUEST, ErrorCode.VALIDATION_FAILED,
					"malformed JSON " + where + firstLine(jackson.getOriginalMessage()));
		}
		return problemOnly(HttpStatus.BAD_REQUEST, ErrorCode.VALIDATION_FAILED,
				"the request body is missing or unreadable: send a JSON object");
	}

	@Override
	protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		// Spring's own 4xx (404, 405, 406, 415, missing parameters): keep their status,
		// add our fields.
		if (body instanceof ProblemDetail problem) {
			if (problem.getProperties() == null || !problem.getProperties().containsKey("code")) {
				ErrorCode code = codeFor(statusCode.value());
				problem.setProperty("code", code.name());
				problem.setProperty("requestId", MDC.get(AuditLog.REQUEST_ID));
				if (code == ErrorCode.NOT_FOUND) {
					problem.setTitle(code.title());
					problem.setDetail(this.paths.notFound(path(request)));
				}
				else if (code == ErrorCode.METHOD_NOT_ALLOWED) {
					problem.setTitle(code.title());
					problem.setDetail(problem.getDetail() + " Allowed: " + headers.getAllow());
				}
			}
			HttpHeaders copy = new HttpHeaders();
			copy.putAll(headers);
			copy.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
			return new ResponseEntity<>(problem, copy, statusCode);
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

	/**
	 * The code of a status that Spring or the container answered by itself.
	 * @param status the status
	 * @return the code
	 */
	static ErrorCode codeFor(int status) {
		return switch (status) {
			case 401 -> ErrorCode.UNAUTHORIZED;
			case 404 -> ErrorCode.NOT_FOUND;
			case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
			case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
			case 429 -> ErrorCode.LIMIT_EXCEEDED;
			case 503 -> ErrorCode.OVERLOADED;
			default -> ErrorCode.VALIDATION_FAILED;
		};
	}

	private static String path(WebRequest request) {
		String description = request.getDescription(false);
		return description.startsWith("uri=") ? description.substring(4) : description;
	}

	/**
	 * What a JSON value must look like for a Java type, in the API's words.
	 * @param type the target type
	 * @return the sentence, or {@code null} when there is nothing better to say
	 */
	static @Nullable String expected(Class<?> type) {
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class
				|| type == Short.class || type == short.class) {
			return "must be a JSON integer (no quotes, no fraction)";
		}
		if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
			return "must be a JSON number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "must be true or false";
		}
		if (type == String.class) {
			return "must be a JSON string";
		}
		if (List.class.isAssignableFrom(type) || type.isArray()) {
			return "must be a JSON array";
		}
		if (type.isEnum()) {
			return "must be a JSON string";
		}
		if (Map.class.isAssignableFrom(type) || type.isRecord()) {
			return "must be a JSON object";
		}
		return null;
	}

	private ResponseEntity<Object> invalid(List<FieldProblem> problems) {
		StringBuilder detail = new StringBuilder();
		List<Map<String, String>> errors = new ArrayList<>();
		for (FieldProblem problem : problems) {
			if (!detail.isEmpty()) {
				detail.append("; ");
			}
			detail.append(problem.field()).append(": ").append(problem.message());
			Map<String, String> error = new LinkedHashMap<>();
			error.put("field", problem.field());
			error.put("message", problem.message());
			errors.add(error);
		}
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ErrorCode.VALIDATION_FAILED, detail.toString());
		problem.setProperty("errors", errors);
		return respond(problem, new HttpHeaders());
	}

	private ResponseEntity<Object> problemOnly(HttpStatus status, ErrorCode code, String detail) {
		return respond(problem(status, code, detail), new HttpHeaders());
	}

	static ProblemDetail problem(HttpStatusCode status, ErrorCode code, @Nullable String detail) {
		ProblemDetail problem = ProblemDetail.forStatus(status);
		problem.setTitle(code.title());
		problem.setDetail(detail);
		problem.setProperty("code", code.name());
		problem.setProperty("requestId", MDC.get(AuditLog.REQUEST_ID));
		return problem;
	}

	private static ResponseEntity<Object> respond(ProblemDetail problem, HttpHeaders headers) {
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return new ResponseEntity<>(problem, headers, problem.getStatus());
	}

	/**
	 * The field a JSON binding failure names and what was wrong with it, in JSON terms
	 * (never a Java type): the REST body's and the MCP tools' arguments' one mapping.
	 * @param jackson the binding failure
	 * @return the field and the problem, or {@code null} when the failure names no field
	 * (malformed JSON)
	 */
	public static @Nullable FieldProblem fieldProblem(JacksonException jackson) {
		if (jackson instanceof UnrecognizedPropertyException unknown) {
			return new FieldProblem(path(unknown), "unknown field; known fields are " + unknown.getKnownPropertyIds());
		}
		if (jackson.getPath().isEmpty()) {
			return null;
		}
		Throwable cause = jackson.getCause();
		String message;
		if (cause instanceof IllegalArgumentException) {
			message = cause.getMessage();
		}
		else if (jackson instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
				&& expected(mismatch.getTargetType()) != null) {
			message = expected(mismatch.getTargetType());
		}
		else {
			message = jackson.getOriginalMessage();
		}
		return new FieldProblem(path(jackson), firstLine(message));
	}

	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.isEmpty() ? "body" : path.toString();
	}

	private static String firstLine(@Nullable String message) {
		if (message == null) {
			return "invalid value";
		}
		int newline = message.indexOf('\n');
		String line = (newline >= 0) ? message.substring(0, newline) : message;
		// Library messages name Java types; the caller speaks JSON.
		return JAVA_TYPE.matcher(line).replaceAll("value");
	}

	/**
	 * The first throwable of a type in a cause chain.
	 * @param <T> the type
	 * @param ex where the chain starts
	 * @param type the type
	 * @return the throwable, or {@code null}
	 */
	public static <T extends Throwable> @Nullable T find(Throwable ex, Class<T> type) {
		Throwable current = ex;
		while (current != null) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			current = current.getCause();
		}
		return null;
	}

	/**
	 * One field a request got wrong, and how.
	 *
	 * @param field the field's JSON path
	 * @param message what was wrong
	 */
	public record FieldProblem(String field, String message) {
	}

}
