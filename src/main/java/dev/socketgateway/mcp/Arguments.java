package dev.socketgateway.mcp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;

/**
 * A tool call's arguments, bound as the REST twin binds its body and query parameters:
 * Jackson with the application's settings (unknown fields refused), then Bean Validation.
 */
final class Arguments {

	private final Map<String, Object> values;

	private final JsonMapper mapper;

	private final Validator validator;

	Arguments(@Nullable Map<String, Object> values, JsonMapper mapper, Validator validator) {
		this.values = (values != null) ? values : Map.of();
		this.mapper = mapper;
		this.validator = validator;
	}

	/**
	 * The REST body: every argument except the named ones (ids and query parameters).
	 * @param <T> the body's type
	 * @param type the REST body's record
	 * @param notInBody arguments that are not body fields
	 * @return the validated body
	 */
	<T> T body(Class<T> type, String... notInBody) {
		Map<String, Object> body = new LinkedHashMap<>(this.values);
		for (String name : notInBody) {
			body.remove(name);
		}
		T value = this.mapper.convertValue(body, type);
		Set<ConstraintViolation<T>> violations = this.validator.validate(value);
		if (!violations.isEmpty()) {
			throw invalid(violations);
		}
		return value;
	}

	/**
	 * A required string argument such as {@code connectionId}.
	 * @param name the argument
	 * @return its value
	 */
	String required(String name) {
		Object value = this.values.get(name);
		if (!(value instanceof String text) || text.isBlank()) {
			throw GatewayException.invalidField(name, "is required (a string)");
		}
		return text;
	}

	/**
	 * An optional argument converted as a query parameter would be.
	 * @param <T> the type
	 * @param name the argument
	 * @param type its type
	 * @param fallback the value when absent
	 * @return the value
	 */
	<T> @Nullable T optional(String name, Class<T> type, @Nullable T fallback) {
		Object value = this.values.get(name);
		if (value == null) {
			return fallback;
		}
		try {
			return this.mapper.convertValue(value, type);
		}
		catch (RuntimeException ex) {
			throw GatewayException.invalidField(name, "'" + value + "' is not a valid value");
		}
	}

	/**
	 * Refuses arguments the tool does not take, as the REST body refuses unknown fields.
	 * @param known the tool's arguments
	 */
	void only(Set<String> known) {
		for (String name : this.values.keySet()) {
			if (!known.contains(name)) {
				throw GatewayException.invalidField(name, "unknown argument; known arguments are " + known);
			}
		}
	}

	private static GatewayException invalid(Set<? extends ConstraintViolation<?>> violations) {
		List<ConstraintViolation<?>> sorted = new ArrayList<>(violations);
		sorted.sort(Comparator.comparing((violation) -> violation.getPropertyPath().toString()));
		StringBuilder detail = new StringBuilder();
		List<Map<String, String>> errors = new ArrayList<>();
		for (ConstraintViolation<?> violation : sorted) {
			String field = violation.getPropertyPath().toString();
			if (!detail.isEmpty()) {
				detail.append("; ");
			}
			detail.append(field).append(": ").append(violation.getMessage());
			errors.add(Map.of("field", field, "message", violation.getMessage()));
		}
		return new GatewayException(ErrorCode.VALIDATION_FAILED, detail.toString(), null, Map.of("errors", errors),
				null);
	}

}
