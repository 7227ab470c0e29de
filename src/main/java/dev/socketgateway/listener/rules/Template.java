package dev.socketgateway.listener.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A response payload with {@code ${1}} / {@code ${name}} placeholders; a doubled dollar
 * sign before the brace writes the two characters literally.
 */
final class Template {

	private final List<String> literals;

	private final List<String> names;

	private Template(List<String> literals, List<String> names) {
		this.literals = literals;
		this.names = names;
	}

	/**
	 * Parses a template.
	 * @param text the text
	 * @return the template
	 * @throws IllegalArgumentException for an unterminated or empty placeholder
	 */
	static Template parse(String text) {
		List<String> literals = new ArrayList<>();
		List<String> names = new ArrayList<>();
		StringBuilder literal = new StringBuilder();
		int i = 0;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (c == '$' && text.startsWith("$${", i)) {
				literal.append("${");
				i += 3;
			}
			else if (c == '$' && text.startsWith("${", i)) {
				int end = text.indexOf('}', i + 2);
				if (end < 0) {
					throw new IllegalArgumentException(
							"unterminated ${ at position " + i + ": close it with } or write $${ for a literal ${");
				}
				String name = text.substring(i + 2, end);
				if (!isName(name)) {
					throw new IllegalArgumentException("'${" + name + "}' at position " + i
							+ " is not a group number or name; write $${ for a literal ${");
				}
				literals.add(literal.toString());
				literal.setLength(0);
				names.add(name);
				i = end + 1;
			}
			else {
				literal.append(c);
				i++;
			}
		}
		literals.add(literal.toString());
		return new Template(List.copyOf(literals), List.copyOf(names));
	}

	private static boolean isName(String name) {
		if (name.isEmpty()) {
			return false;
		}
		boolean digits = name.chars().allMatch((ch) -> ch >= '0' && ch <= '9');
		if (digits) {
			return name.length() <= 4;
		}
		char first = name.charAt(0);
		if (!(Character.isLetter(first) || first == '_')) {
			return false;
		}
		return name.chars().allMatch((ch) -> Character.isLetterOrDigit(ch) || ch == '_');
	}

	boolean hasPlaceholders() {
		return !this.names.isEmpty();
	}

	/**
	 * The placeholder names the template uses that {@code known} lacks.
	 * @param known group numbers and names a match provides
	 * @return the unknown ones, in order
	 */
	List<String> unknown(Set<String> known) {
		return this.names.stream().filter((name) -> !known.contains(name)).distinct().toList();
	}

	/** The literal text with every placeholder left out. */
	String literalText() {
		return String.join("", this.literals);
	}

	/**
	 * Fills the placeholders.
	 * @param captures values by group number or name ({@code null} values render empty)
	 * @return the text
	 */
	String render(Map<String, String> captures) {
		if (this.names.isEmpty()) {
			return this.literals.get(0);
		}
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < this.names.size(); i++) {
			out.append(this.literals.get(i));
			String value = captures.get(this.names.get(i));
			if (value != null) {
				out.append(value);
			}
		}
		out.append(this.literals.get(this.literals.size() - 1));
		return out.toString();
	}

	/**
	 * Escapes text so that it renders as itself.
	 * @param text the text
	 * @return the template text
	 */
	static String escape(String text) {
		return text.replace("${", "$${");
	}

}
