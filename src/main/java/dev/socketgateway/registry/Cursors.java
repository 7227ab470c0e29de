package dev.socketgateway.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

import dev.socketgateway.GatewayException;

/**
 * Opaque page cursors and the clamping of paging parameters, for sessions and listeners.
 */
public final class Cursors {

	private Cursors() {
	}

	/**
	 * Encodes a position.
	 * @param ordinal the last returned item's ordinal
	 * @return the cursor
	 */
	public static String encode(long ordinal) {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(("o" + ordinal).getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * Decodes a cursor.
	 * @param cursor the cursor, or {@code null}
	 * @return the ordinal (0 without a cursor)
	 */
	public static long decode(@Nullable String cursor) {
		if (cursor == null || cursor.isEmpty()) {
			return 0;
		}
		try {
			String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
			if (text.startsWith("o")) {
				return Long.parseLong(text.substring(1));
			}
		}
		catch (IllegalArgumentException ex) {
			// fall through
		}
		throw GatewayException.invalidField("cursor", "is not a cursor this API returned: pass `next` back as is");
	}

	/**
	 * Clamps a value into {@code [1, max]}.
	 * @param value the value
	 * @param max the ceiling
	 * @return the clamped value
	 */
	public static int clamp(int value, int max) {
		return Math.max(1, Math.min(value, max));
	}

	/**
	 * Parses a {@code state} filter.
	 * @param state {@code open}, {@code closed} or {@code null}
	 * @return the filter
	 */
	public static @Nullable String state(@Nullable String state) {
		if (state == null || state.isEmpty()) {
			return null;
		}
		if (!state.equals("open") && !state.equals("closed")) {
			throw GatewayException.invalidField("state", "must be open or closed");
		}
		return state;
	}

}
