package dev.socketgateway.observability;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL lexing to list the metric names and label words a query uses.
 */
final class PromQl {

	private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");

	private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");

	private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");

	private static final Pattern GROUPING = Pattern
		.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

	// possessive, so that "rate(" is never read as the metric "rat"
	private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:$])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
			"ignoring", "group_left", "group_right", "inf", "nan");

	private static final Pattern WORD = Pattern.compile("\\b[a-zA-Z_][a-zA-Z0-9_]*\\b");

	private PromQl() {
	}

	/**
	 * Metric names selected by an expression (not functions, keywords or labels).
	 * @param expr PromQL
	 * @return names in order of appearance
	 */
	static Set<String> metricNames(String expr) {
		String stripped = withoutStrings(expr);
		stripped = MATCHERS.matcher(stripped).replaceAll(" ");
		stripped = RANGE.matcher(stripped).replaceAll(" ");
		stripped = GROUPING.matcher(stripped).replaceAll(" ");
		Set<String> names = new LinkedHashSet<>();
		Matcher matcher = IDENTIFIER.matcher(stripped);
		while (matcher.find()) {
			String name = matcher.group(1);
			if (!KEYWORDS.contains(name.toLowerCase())) {
				names.add(name);
			}
		}
		return names;
	}

	/**
	 * Every identifier outside string literals: metric, function and label names alike.
	 * @param expr PromQL
	 * @return the words in order of appearance
	 */
	static Set<String> words(String expr) {
		Set<String> words = new LinkedHashSet<>();
		Matcher matcher = WORD.matcher(withoutStrings(expr));
		while (matcher.find()) {
			words.add(matcher.group());
		}
		return words;
	}

	private static String withoutStrings(String expr) {
		return STRING.matcher(expr).replaceAll("\"\"");
	}

}
