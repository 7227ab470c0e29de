package dev.socketgateway.payload;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Reads the object form of a {@link Framing} ({@code delimiter}, {@code length},
 * {@code varint}, {@code lines}, {@code fixed}): checks every member, fills in the
 * defaults, and says what is wrong in words a request's author can act on.
 */
final class FramingObjects {

	private FramingObjects() {
	}

	/**
	 * Builds an object framing from its members.
	 * @param given the members, {@code type} included
	 * @return the framing
	 * @throws IllegalArgumentException naming unknown or invalid members
	 */
	static Framing parse(Map<String, ?> given) {
		Object typeValue = given.get("type");
		if (!(typeValue instanceof String type)) {
			throw new IllegalArgumentException(
					"framing object needs a string 'type': one of " + String.join(", ", Framing.OBJECT_TYPES));
		}
		String lowerType = type.toLowerCase(Locale.ROOT);
		List<String> known = switch (lowerType) {
			case "delimiter" -> List.of("delimiters", "delimiterEncoding");
			case "length" -> List.of("offset", "size", "order", "adjust", "strip");
			case "varint" -> List.of("offset", "adjust", "strip");
			case "lines" -> List.of("until", "eol");
			case "fixed" -> List.of("size");
			default -> throw new IllegalArgumentException(
					"unknown framing type '" + type + "': use " + String.join(", ", Framing.OBJECT_TYPES)
							+ ", or a preset name as a string (" + Framing.presetNames() + ")");
		};
		Set<String> unknown = new TreeSet<>(given.keySet());
		unknown.remove("type");
		known.forEach(unknown::remove);
		if (!unknown.isEmpty()) {
			throw new IllegalArgumentException(
					"unknown framing members " + unknown + " for type " + lowerType + "; known members are " + known);
		}
		Map<String, Object> members = new LinkedHashMap<>();
		members.put("type", lowerType);
		return switch (lowerType) {
			case "delimiter" -> delimiterObject(given, members);
			case "length" -> lengthObject(given, members);
			case "varint" -> varintObject(given, members);
			case "lines" -> linesObject(given, members);
			default -> fixedObject(given, members);
		};
	}

	private static Framing delimiterObject(Map<String, ?> given, Map<String, Object> members) {
		String encoding = string(given, "delimiterEncoding", "utf8").toLowerCase(Locale.ROOT);
		if (!encoding.equals("utf8") && !encoding.equals("hex")) {
			throw new IllegalArgumentException("framing member delimiterEncoding must be utf8 or hex");
		}
		Object listValue = given.get("delimiters");
		if (!(listValue instanceof List<?> list) || list.isEmpty() || list.size() > Framing.MAX_DELIMITERS) {
			throw new IllegalArgumentException(
					"framing member delimiters must be a list of 1 to " + Framing.MAX_DELIMITERS + " strings");
		}
		List<String> spellings = new ArrayList<>();
		List<byte[]> bytes = new ArrayList<>();
		for (Object item : list) {
			if (!(item instanceof String spelling)) {
				throw new IllegalArgumentException("framing member delimiters must be a list of strings");
			}
			byte[] delimiter;
			if (encoding.equals("hex")) {
				try {
					delimiter = Payloads.decode(spelling, Encoding.HEX);
				}
				catch (InvalidPayloadException ex) {
					throw new IllegalArgumentException(
							"framing member delimiters: '" + spelling + "' is not hex: " + ex.getMessage());
				}
			}
			else {
				delimiter = spelling.getBytes(StandardCharsets.UTF_8);
			}
			if (delimiter.length == 0 || delimiter.length > Framing.MAX_DELIMITER_BYTES) {
				throw new IllegalArgumentException(
						"framing member delimiters: each delimiter is 1 to " + Framing.MAX_DELIMITER_BYTES + " bytes");
			}
			spellings.add(spelling);
			bytes.add(delimiter);
		}
		members.put("delimiters", List.copyOf(spellings));
		members.put("delimiterEncoding", encoding);
		return Framing.delimiter(members, bytes);
	}

	private static Framing lengthObject(Map<String, ?> given, Map<String, Object> members) {
		int offset = integer(given, "offset", 0, 0, Framing.MAX_OFFSET);
		if (!given.containsKey("size")) {
			throw new IllegalArgumentException("framing member size is required for type length: 1, 2, 3, 4 or 8");
		}
		int size = integer(given, "size", 0, 1, 8);
		if (size != 1 && size != 2 && size != 3 && size != 4 && size != 8) {
			throw new IllegalArgumentException("framing member size must be 1, 2, 3, 4 or 8");
		}
		String order = string(given, "order", "big").toLowerCase(Locale.ROOT);
		if (!order.equals("big") && !order.equals("little")) {
			throw new IllegalArgumentException("framing member order must be big or little");
		}
		int adjust = integer(given, "adjust", 0, Integer.MIN_VALUE / 2, Integer.MAX_VALUE / 2);
		int strip = integer(given, "strip", (offset == 0) ? size : 0, 0, Integer.MAX_VALUE);
		members.put("offset", offset);
		members.put("size", size);
		members.put("order", order);
		members.put("adjust", adjust);
		members.put("strip", strip);
		return Framing.length(members, offset, size, order.equals("little"), adjust, strip);
	}

	private static Framing varintObject(Map<String, ?> given, Map<String, Object> members) {
		int offset = integer(given, "offset", 0, 0, Framing.MAX_OFFSET);
		int adjust = integer(given, "adjust", 0, Integer.MIN_VALUE / 2, Integer.MAX_VALUE / 2);
		int strip = given.containsKey("strip") ? integer(given, "strip", 0, 0, Integer.MAX_VALUE) : -1;
		if (strip == -1 && offset != 0) {
			strip = 0;
		}
		members.put("offset", offset);
		members.put("adjust", adjust);
		if (strip >= 0) {
			members.put("strip", strip);
		}
		return Framing.varint(members, offset, adjust, strip);
	}

	private static Framing linesObject(Map<String, ?> given, Map<String, Object> members) {
		Object untilValue = given.get("until");
		if (!(untilValue instanceof String regex) || regex.isEmpty() || regex.length() > Framing.MAX_REGEX_LENGTH) {
			throw new IllegalArgumentException("framing member until must be a regex (RE2 syntax) of 1 to "
					+ Framing.MAX_REGEX_LENGTH + " characters");
		}
		Pattern pattern;
		try {
			pattern = Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException("framing member until is not a valid RE2 regex: " + ex.getMessage());
		}
		String eol = string(given, "eol", "crlf").toLowerCase(Locale.ROOT);
		if (!eol.equals("crlf") && !eol.equals("lf")) {
			throw new IllegalArgumentException("framing member eol must be crlf or lf");
		}
		members.put("until", regex);
		members.put("eol", eol);
		return Framing.lines(members, pattern, eol.equals("lf"));
	}

	private static Framing fixedObject(Map<String, ?> given, Map<String, Object> members) {
		if (!given.containsKey("size")) {
			throw new IllegalArgumentException("framing member size is required for type fixed");
		}
		int size = integer(given, "size", 0, 1, Integer.MAX_VALUE);
		members.put("size", size);
		return Framing.fixed(members, size);
	}

	private static String string(Map<String, ?> given, String name, String fallback) {
		Object value = given.get(name);
		if (value == null) {
			return fallback;
		}
		if (!(value instanceof String text)) {
			throw new IllegalArgumentException("framing member " + name + " must be a string");
		}
		return text;
	}

	private static int integer(Map<String, ?> given, String name, int fallback, int min, int max) {
		Object value = given.get(name);
		if (value == null) {
			return fallback;
		}
		long number;
		if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
			number = ((Number) value).longValue();
		}
		else if (value instanceof String text && text.matches("-?[0-9]{1,10}")) {
			number = Long.parseLong(text);
		}
		else {
			throw new IllegalArgumentException("framing member " + name + " must be a whole number");
		}
		if (number < min || number > max) {
			throw new IllegalArgumentException(
					"framing member " + name + " must be between " + min + " and " + max + ", not " + number);
		}
		return (int) number;
	}

}
