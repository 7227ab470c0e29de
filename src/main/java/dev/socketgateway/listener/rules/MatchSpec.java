package dev.socketgateway.listener.rules;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.jspecify.annotations.Nullable;

/**
 * Which frames a rule answers: exactly one kind of match.
 *
 * @param equals the frame is this UTF-8 text
 * @param prefix the frame starts with this UTF-8 text
 * @param contains the frame contains this UTF-8 text
 * @param regex an RE2 pattern found in the frame read as UTF-8; its groups fill
 * {@code ${1}}, {@code ${name}}
 * @param hexRegex an RE2 pattern found in the frame's lowercase hex (two digits a byte);
 * its groups are hex digits, for binary protocols
 * @param hex the frame is these bytes
 * @param hexPrefix the frame starts with these bytes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@MatchSpec.OneKind
@Schema(description = "Exactly one of equals, prefix, contains, regex, hexRegex, hex, hexPrefix")
public record MatchSpec(@Schema(description = "the frame is this UTF-8 text") @Nullable String equals,
		@Schema(description = "the frame starts with this UTF-8 text") @Nullable String prefix,
		@Schema(description = "the frame contains this UTF-8 text") @Nullable String contains,
		@Schema(description = "RE2 pattern found in the frame read as UTF-8; groups fill ${1}, ${name}") @Nullable String regex,
		@Schema(description = "RE2 pattern found in the frame's lowercase hex; groups are hex digits") @Nullable String hexRegex,
		@Schema(description = "the frame is these bytes, in hex") @Nullable String hex,
		@Schema(description = "the frame starts with these bytes, in hex") @Nullable String hexPrefix) {

	/**
	 * A match on text equality.
	 * @param text the text
	 * @return the match
	 */
	public static MatchSpec equalsText(String text) {
		return new MatchSpec(text, null, null, null, null, null, null);
	}

	/**
	 * A match on byte equality.
	 * @param hex the bytes in hex
	 * @return the match
	 */
	public static MatchSpec equalsHex(String hex) {
		return new MatchSpec(null, null, null, null, null, hex, null);
	}

	List<String> kinds() {
		List<String> kinds = new ArrayList<>();
		add(kinds, "equals", this.equals);
		add(kinds, "prefix", this.prefix);
		add(kinds, "contains", this.contains);
		add(kinds, "regex", this.regex);
		add(kinds, "hexRegex", this.hexRegex);
		add(kinds, "hex", this.hex);
		add(kinds, "hexPrefix", this.hexPrefix);
		return kinds;
	}

	private static void add(List<String> kinds, String name, @Nullable String value) {
		if (value != null) {
			kinds.add(name);
		}
	}

	/**
	 * A match names exactly one kind.
	 */
	@Documented
	@Constraint(validatedBy = OneKindValidator.class)
	@Target(ElementType.TYPE)
	@Retention(RetentionPolicy.RUNTIME)
	public @interface OneKind {

		String message() default "must name exactly one of equals, prefix, contains, regex, hexRegex, hex, hexPrefix";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

	/** Checks {@link OneKind}. */
	public static class OneKindValidator implements ConstraintValidator<OneKind, MatchSpec> {

		@Override
		public boolean isValid(@Nullable MatchSpec value, ConstraintValidatorContext context) {
			if (value == null) {
				return true;
			}
			List<String> kinds = value.kinds();
			if (kinds.size() == 1) {
				return true;
			}
			context.disableDefaultConstraintViolation();
			context.buildConstraintViolationWithTemplate((kinds.isEmpty())
					? "must name one of equals, prefix, contains, regex, hexRegex, hex, hexPrefix (omit match to answer any frame)"
					: "names " + String.join(" and ", kinds) + ": a match has exactly one kind")
				.addConstraintViolation();
			return false;
		}

	}

}
