package dev.socketgateway.conversation;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Variable templates (dollar, brace, name, brace): a doubled dollar writes a literal; a
 * name is letters, digits and underscores.
 */
final class Templates {

	private Templates() {
	}

	/**
	 * The names a template refers to.
	 * @param template the template
	 * @return the names, in order
	 * @throws IllegalArgumentException for an unterminated or empty reference
	 */
	static Set<String> names(String template) {
		Set<String> names = new LinkedHashSet<>();
		walk(template, Map.of(), names);
		return names;
	}

	/**
	 * Replaces every reference; an unknown name becomes empty (checked beforehand).
	 * @param template the template
	 * @param vars the values
	 * @return the text
	 */
	static String expand(String template, Map<String, String> vars) {
		if (template.indexOf('$') < 0) {
			return template;
		}
		return walk(template, vars, null);
	}

	private static String walk(String template, Map<String, String> vars, @Nullable Set<String> names) {
		StringBuilder out = new StringBuilder(template.length());
		int i = 0;
		while (i < template.length()) {
			if (template.startsWith("$${", i)) {
				out.append("${");
				i += 3;
			}
			else if (template.startsWith("${", i)) {
				int end = template.indexOf('}', i + 2);
				if (end < 0) {
					throw new IllegalArgumentException(
							"'${' at position " + i + " has no closing '}' (write $${ for a literal ${)");
				}
				String name = template.substring(i + 2, end);
				if (!validName(name)) {
					throw new IllegalArgumentException("'${" + name + "}' at position " + i
							+ " is not a variable name (letters, digits and _; write $${ for a literal ${)");
				}
				if (names != null) {
					names.add(name);
				}
				out.append(vars.getOrDefault(name, ""));
				i = end + 1;
			}
			else {
				out.append(template.charAt(i++));
			}
		}
		return out.toString();
	}

	static boolean validName(String name) {
		if (name.isEmpty() || name.length() > 64) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Go's {@code regexp.Expand}, as blackbox_exporter applies it to a send: {@code $1},
	 * {@code ${1}}, {@code $name}, {@code ${name}}, {@code $$}; unknown names are empty.
	 * @param template the send
	 * @param groups the last match's groups by number and name
	 * @return the text
	 */
	static String expandGo(String template, Map<String, String> groups) {
		StringBuilder out = new StringBuilder(template.length());
		int i = 0;
		while (i < template.length()) {
			char c = template.charAt(i);
			if (c != '$' || i + 1 >= template.length()) {
				out.append(c);
				i++;
				continue;
			}
			char next = template.charAt(i + 1);
			if (next == '$') {
				out.append('$');
				i += 2;
				continue;
			}
			String name;
			int end;
			if (next == '{') {
				int close = template.indexOf('}', i + 2);
				if (close < 0 || !validName(template.substring(i + 2, close))) {
					out.append(c);
					i++;
					continue;
				}
				name = template.substring(i + 2, close);
				end = close + 1;
			}
			else {
				int j = i + 1;
				while (j < template.length() && validName(String.valueOf(template.charAt(j)))) {
					j++;
				}
				if (j == i + 1) {
					out.append(c);
					i++;
					continue;
				}
				name = template.substring(i + 1, j);
				end = j;
			}
			out.append(groups.getOrDefault(name, ""));
			i = end;
		}
		return out.toString();
	}

}
