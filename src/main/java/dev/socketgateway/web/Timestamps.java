package dev.socketgateway.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * RFC 3339 UTC timestamps with exactly three fraction digits ({@link Instant#toString}
 * drops them on a whole second).
 */
public final class Timestamps {

	private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private Timestamps() {
	}

	/**
	 * Formats an instant.
	 * @param instant the instant
	 * @return e.g. {@code 2026-11-23T13:17:22.120Z}
	 */
	public static String format(Instant instant) {
		return FORMAT.format(instant);
	}

}
