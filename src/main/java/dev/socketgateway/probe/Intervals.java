package dev.socketgateway.probe;

import java.time.Duration;

import dev.socketgateway.GatewayException;

/**
 * Durations in the API: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}.
 */
final class Intervals {

	static final Duration MIN = Duration.ofMillis(100);

	static final Duration MAX = Duration.ofHours(24);

	private Intervals() {
	}

	/**
	 * Parses an interval.
	 * @param field the field, for errors
	 * @param text the text
	 * @return the duration
	 */
	static Duration parse(String field, String text) {
		String value = text.trim();
		Duration duration = null;
		try {
			if (value.endsWith("ms")) {
				duration = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
			}
			else if (value.endsWith("s")) {
				duration = Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
			}
			else if (value.endsWith("m")) {
				duration = Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
			}
			else if (value.endsWith("h")) {
				duration = Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1)));
			}
		}
		catch (NumberFormatException ex) {
			duration = null;
		}
		if (duration == null) {
			throw GatewayException.invalidField(field,
					"'" + text + "' is not a duration: write e.g. 500ms, 30s, 2m or 1h");
		}
		if (duration.compareTo(MIN) < 0 || duration.compareTo(MAX) > 0) {
			throw GatewayException.invalidField(field, "must be between 100ms and 24h, was " + text);
		}
		return duration;
	}

}
