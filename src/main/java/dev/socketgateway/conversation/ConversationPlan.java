package dev.socketgateway.conversation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import org.jspecify.annotations.Nullable;

import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.InvalidPayloadException;
import dev.socketgateway.payload.Payloads;

/**
 * The checked form of steps and expectations.
 */
public final class ConversationPlan {

	private ConversationPlan() {
	}

	/**
	 * What a step does.
	 */
	public enum Action {

		/** Write a payload. */
		SEND("send"),
		/** Read frames until one matches. */
		EXPECT("expect"),
		/** Read exactly some bytes (blackbox_exporter's expect_bytes). */
		EXPECT_BYTES("expectBytes"),
		/** Wait for the peer to close. */
		EXPECT_CLOSE("expectClose"),
		/** Upgrade to TLS. */
		STARTTLS("starttls"),
		/** Wait. */
		SLEEP("sleep");

		private final String value;

		Action(String value) {
			this.value = value;
		}

		public String value() {
			return this.value;
		}

	}

	/**
	 * One checked step.
	 *
	 * @param index position from 0
	 * @param name optional name
	 * @param action what it does
	 * @param send the send template
	 * @param encoding its encoding
	 * @param expect what to wait for
	 * @param reject what fails it
	 * @param capture whether named groups become vars
	 * @param timeoutMs its own timeout, if any
	 * @param sleepMs how long to sleep
	 * @param bytes the bytes of an expect-bytes step
	 */
	public record Step(int index, @Nullable String name, Action action, @Nullable String send, Encoding encoding,
			@Nullable FrameMatcher expect, @Nullable Pattern reject, boolean capture, @Nullable Integer timeoutMs,
			int sleepMs, byte @Nullable [] bytes) {

	}

	/**
	 * One kind of expectation.
	 */
	public enum MatchKind {

		/** Text equals. */
		EQUALS,
		/** Text starts with. */
		PREFIX,
		/** Text contains. */
		CONTAINS,
		/** RE2 regex found in the text. */
		REGEX,
		/** Bytes equal. */
		HEX,
		/** Bytes start with. */
		HEX_PREFIX

	}

	/**
	 * A checked expectation: text and hex values may hold {@code ${var}}.
	 *
	 * @param kind what is compared
	 * @param value the value as given
	 * @param regex the compiled regex, for {@code REGEX}
	 */
	public record FrameMatcher(MatchKind kind, String value, @Nullable Pattern regex) {

		/**
		 * Checks a frame.
		 * @param frame the frame's payload
		 * @param vars variables for templated values
		 * @return the matched groups by name and number (empty when none), or
		 * {@code null} when the frame does not match
		 */
		public @Nullable Map<String, String> match(byte[] frame, Map<String, String> vars) {
			String text = new String(frame, StandardCharsets.UTF_8);
			return switch (this.kind) {
				case EQUALS -> text.equals(Templates.expand(this.value, vars)) ? Map.of() : null;
				case PREFIX -> text.startsWith(Templates.expand(this.value, vars)) ? Map.of() : null;
				case CONTAINS -> text.contains(Templates.expand(this.value, vars)) ? Map.of() : null;
				case HEX -> Arrays.equals(frame, hex(Templates.expand(this.value, vars))) ? Map.of() : null;
				case HEX_PREFIX -> startsWith(frame, hex(Templates.expand(this.value, vars))) ? Map.of() : null;
				case REGEX -> groups(this.regex, text);
			};
		}

		private static byte[] hex(String value) {
			try {
				return Payloads.decode(value, Encoding.HEX);
			}
			catch (InvalidPayloadException ex) {
				// a var made it invalid: nothing matches
				return new byte[] { 0 };
			}
		}

		private static boolean startsWith(byte[] frame, byte[] prefix) {
			return frame.length >= prefix.length && Arrays.equals(frame, 0, prefix.length, prefix, 0, prefix.length);
		}

		private static @Nullable Map<String, String> groups(@Nullable Pattern regex, String text) {
			if (regex == null) {
				return null;
			}
			Matcher matcher = regex.matcher(text);
			if (!matcher.find()) {
				return null;
			}
			Map<String, String> groups = new LinkedHashMap<>();
			for (int i = 1; i <= matcher.groupCount(); i++) {
				String group = matcher.group(i);
				groups.put(Integer.toString(i), (group != null) ? group : "");
			}
			regex.namedGroups().forEach((name, number) -> {
				String group = matcher.group(number);
				groups.put(name, (group != null) ? group : "");
			});
			groups.put("0", matcher.group());
			return groups;
		}

	}

}
