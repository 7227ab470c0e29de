package dev.socketgateway.conversation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * What an {@code expect} step waits for: exactly one of the members. A bare string in
 * JSON or YAML is a regex.
 *
 * @param equals the frame's text is exactly this
 * @param prefix the frame's text starts with this
 * @param contains the frame's text contains this
 * @param regex an RE2 regex found in the frame's text; named groups {@code (?P<name>…)}
 * can be captured
 * @param hex the frame's bytes are exactly these (hex)
 * @param hexPrefix the frame's bytes start with these (hex)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "What a frame must look like: a regex string, or an object with exactly one of equals, prefix, contains, regex (text) or hex, hexPrefix (bytes)")
public record Expect(@Schema(description = "the frame's text is exactly this") @Nullable String equals,
		@Schema(description = "the frame's text starts with this") @Nullable String prefix,
		@Schema(description = "the frame's text contains this") @Nullable String contains,
		@Schema(description = "an RE2 regex found in the frame's text; named groups (?P<name>…) can be captured") @Nullable String regex,
		@Schema(description = "the frame's bytes are exactly these (hex)") @Nullable String hex,
		@Schema(description = "the frame's bytes start with these (hex)") @Nullable String hexPrefix) {

	@JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
	public Expect {
	}

	/**
	 * A regex expectation, from a bare string.
	 * @param regex the RE2 regex
	 * @return the expectation
	 */
	@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
	public static Expect of(String regex) {
		return new Expect(null, null, null, regex, null, null);
	}

}
