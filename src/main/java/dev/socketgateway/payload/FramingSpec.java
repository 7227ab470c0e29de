package dev.socketgateway.payload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A framing as configuration properties bind it: a preset name
 * ({@code gateway.targets.x.framing: resp}) or the members of an object
 * ({@code gateway.targets.x.framing.type: length}, {@code ...framing.size: 2}).
 *
 * @param type the object's type, or a preset name (or a JSON object) when it is the only
 * member
 * @param offset {@code length}, {@code varint}
 * @param size {@code length}, {@code fixed}
 * @param order {@code length}
 * @param adjust {@code length}, {@code varint}
 * @param strip {@code length}, {@code varint}
 * @param delimiters {@code delimiter}
 * @param delimiterEncoding {@code delimiter}
 * @param until {@code lines}
 * @param eol {@code lines}
 */
public record FramingSpec(@Nullable String type, @Nullable Integer offset, @Nullable Integer size,
		@Nullable String order, @Nullable Integer adjust, @Nullable Integer strip, @Nullable List<String> delimiters,
		@Nullable String delimiterEncoding, @Nullable String until, @Nullable String eol) {

	/**
	 * A preset name or JSON object given as one string (what the binder converts a scalar
	 * property with).
	 * @param value the string
	 * @return the spec
	 */
	public static FramingSpec of(String value) {
		return new FramingSpec(value, null, null, null, null, null, null, null, null, null);
	}

	/**
	 * The framing these properties describe.
	 * @return the framing
	 * @throws IllegalArgumentException naming what is wrong
	 */
	public Framing toFraming() {
		Map<String, Object> members = new LinkedHashMap<>();
		put(members, "offset", this.offset);
		put(members, "size", this.size);
		put(members, "order", this.order);
		put(members, "adjust", this.adjust);
		put(members, "strip", this.strip);
		put(members, "delimiters", this.delimiters);
		put(members, "delimiterEncoding", this.delimiterEncoding);
		put(members, "until", this.until);
		put(members, "eol", this.eol);
		if (members.isEmpty() && this.type != null && !Framing.OBJECT_TYPES.contains(this.type)) {
			return Framing.of(this.type);
		}
		members.put("type", this.type);
		return Framing.fromMembers(members);
	}

	private static void put(Map<String, Object> members, String name, @Nullable Object value) {
		if (value != null) {
			members.put(name, value);
		}
	}

}
