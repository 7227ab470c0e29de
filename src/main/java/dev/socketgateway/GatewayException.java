package dev.socketgateway;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A failure the API reports as problem details with a stable {@link ErrorCode}.
 */
public class GatewayException extends RuntimeException {

	private final ErrorCode code;

	private final Map<String, Object> properties;

	private final @Nullable Long retryAfterSeconds;

	public GatewayException(ErrorCode code, String detail) {
		this(code, detail, null, Map.of(), null);
	}

	public GatewayException(ErrorCode code, String detail, @Nullable Throwable cause) {
		this(code, detail, cause, Map.of(), null);
	}

	public GatewayException(ErrorCode code, String detail, @Nullable Throwable cause, Map<String, Object> properties,
			@Nullable Long retryAfterSeconds) {
		super(detail, cause);
		this.code = code;
		this.properties = properties;
		this.retryAfterSeconds = retryAfterSeconds;
	}

	/**
	 * A 400 naming one bad field.
	 * @param field the field's name
	 * @param detail what is wrong with it
	 * @return the exception
	 */
	public static GatewayException invalidField(String field, String detail) {
		return new GatewayException(ErrorCode.VALIDATION_FAILED, field + ": " + detail, null,
				Map.of("errors", java.util.List.of(Map.of("field", field, "message", detail))), null);
	}

	public ErrorCode code() {
		return this.code;
	}

	public Map<String, Object> properties() {
		return this.properties;
	}

	public @Nullable Long retryAfterSeconds() {
		return this.retryAfterSeconds;
	}

}
