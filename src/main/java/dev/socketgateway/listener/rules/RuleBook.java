package dev.socketgateway.listener.rules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.InvalidPayloadException;
import dev.socketgateway.payload.Payloads;

/**
 * A listener's compiled rules: decides, for each received frame, which rule answers and
 * with what. Thread-safe; a rule's {@code times} is counted across all clients.
 */
public final class RuleBook {

	private static final Log logger = LogFactory.getLog(RuleBook.class);

	private final List<Rule> rules;

	private final @Nullable Answer fallback;

	private RuleBook(List<Rule> rules, @Nullable Answer fallback) {
		this.rules = rules;
		this.fallback = fallback;
	}

	/**
	 * What the compiled rules may produce.
	 *
	 * @param datagram UDP: no chunks, no close or reset
	 * @param maxPayloadBytes largest frame payload
	 * ({@code gateway.limits.max-payload-bytes})
	 * @param maxFrameLength largest payload the framing carries (255 for length1)
	 */
	public record Limits(boolean datagram, int maxPayloadBytes, int maxFrameLength) {

	}

	/**
	 * Compiles rules, checking what Bean Validation cannot: RE2 syntax, placeholders
	 * against the regex's groups, payload encodings and sizes, and what UDP can do.
	 * @param rules the rules, or {@code null}
	 * @param defaultResponse the default response, or {@code null}
	 * @param limits the limits
	 * @return the rule book
	 * @throws GatewayException 400 naming the bad field
	 */
	public static RuleBook compile(@Nullable List<RuleSpec> rules, @Nullable DefaultResponse defaultResponse,
			Limits limits) {
		List<Rule> compiled = new ArrayList<>();
		if (rules != null) {
			for (int i = 0; i < rules.size(); i++) {
				RuleSpec spec = rules.get(i);
				String path = "rules[" + i + "]";
				Matching matching = compileMatch(spec.match(), path + ".match");
				Answer answer = compileAnswer(spec.respond(), spec.then(), matching.groups(), limits, path);
				compiled.add(
						new Rule(i, matching, answer, (spec.times() != null) ? new AtomicInteger(spec.times()) : null));
			}
		}
		Answer fallback = (defaultResponse != null)
				? compileAnswer(defaultResponse.respond(), defaultResponse.then(), Set.of(), limits, "defaultResponse")
				: null;
		return new RuleBook(List.copyOf(compiled), fallback);
	}

	/**
	 * Decides the answer to one frame: the first rule that matches and has not retired,
	 * else the default response, else none.
	 * @param frame the frame's payload
	 * @return the plan
	 */
	public Plan decide(byte[] frame) {
		for (Rule rule : this.rules) {
			Map<String, String> captures = rule.matching.match(frame);
			if (captures != null && rule.use()) {
				return rule.answer.plan(rule.index, captures);
			}
		}
		return (this.fallback != null) ? this.fallback.plan(null, Map.of()) : Plan.NONE;
	}

	/**
	 * How many rules there are.
	 * @return the count
	 */
	public int size() {
		return this.rules.size();
	}

	private static Matching compileMatch(@Nullable MatchSpec spec, String path) {
		if (spec == null) {
			return Matching.ANY;
		}
		List<String> kinds = spec.kinds();
		if (kinds.size() != 1) {
			throw GatewayException.invalidField(path, "must name exactly one kind of match");
		}
		if (spec.equals() != null) {
			return bytes(Kind.EQUALS, spec.equals().getBytes(StandardCharsets.UTF_8));
		}
		if (spec.prefix() != null) {
			return bytes(Kind.PREFIX, spec.prefix().getBytes(StandardCharsets.UTF_8));
		}
		if (spec.contains() != null) {
			return bytes(Kind.CONTAINS, spec.contains().getBytes(StandardCharsets.UTF_8));
		}
		if (spec.hex() != null) {
			return bytes(Kind.EQUALS, hex(spec.hex(), path + ".hex"));
		}
		if (spec.hexPrefix() != null) {
			return bytes(Kind.PREFIX, hex(spec.hexPrefix(), path + ".hexPrefix"));
		}
		boolean hexRegex = spec.regex() == null;
		String regex = hexRegex ? spec.hexRegex() : spec.regex();
		String field = path + (hexRegex ? ".hexRegex" : ".regex");
		Pattern pattern;
		try {
			pattern = Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw GatewayException.invalidField(field, "is not a valid RE2 pattern: " + ex.getDescription()
					+ " (RE2 has no backreferences or lookaround; named groups are (?P<name>...))");
		}
		Set<String> groups = new HashSet<>();
		for (int g = 0; g <= pattern.groupCount(); g++) {
			groups.add(Integer.toString(g));
		}
		groups.addAll(pattern.namedGroups().keySet());
		return new Matching(hexRegex ? Kind.HEX_REGEX : Kind.REGEX, new byte[0], pattern, Set.copyOf(groups));
	}

	private static Matching bytes(Kind kind, byte[] value) {
		return new Matching(kind, value, null, Set.of());
	}

	private static byte[] hex(String value, String field) {
		try {
			return Payloads.decode(value, Encoding.HEX);
		}
		catch (InvalidPayloadException ex) {
			throw GatewayException.invalidField(field, "is not valid hex: " + ex.getMessage());
		}
	}

	private static Answer compileAnswer(@Nullable List<RespondFrame> respond, @Nullable Then then, Set<String> groups,
			Limits limits, String path) {
		Then effective = (then != null) ? then : Then.KEEP;
		if (limits.datagram() && effective != Then.KEEP) {
			throw GatewayException.invalidField(path + ".then",
					"UDP has no connection to close or reset: use keep, or omit it");
		}
		List<FrameTemplate> frames = new ArrayList<>();
		if (respond != null) {
			for (int j = 0; j < respond.size(); j++) {
				frames.add(compileFrame(respond.get(j), groups, limits, path + ".respond[" + j + "]"));
			}
		}
		return new Answer(List.copyOf(frames), effective, limits);
	}

	private static FrameTemplate compileFrame(RespondFrame frame, Set<String> groups, Limits limits, String path) {
		Encoding encoding = (frame.encoding() != null) ? frame.encoding() : Encoding.UTF8;
		if (limits.datagram() && frame.chunkBytes() != null) {
			throw GatewayException.invalidField(path + ".chunkBytes",
					"a datagram cannot be sent in pieces: chunkBytes applies to TCP listeners");
		}
		if (frame.chunkDelayMs() != null && frame.chunkBytes() == null) {
			throw GatewayException.invalidField(path + ".chunkDelayMs", "needs chunkBytes");
		}
		Template template = (encoding == Encoding.BASE64) ? null : parseTemplate(frame.payload(), path + ".payload");
		byte[] fixed = null;
		if (template == null || !template.hasPlaceholders()) {
			String text = (template != null) ? template.render(Map.of()) : frame.payload();
			fixed = decodePayload(text, encoding, path + ".payload");
			checkLength(fixed.length, limits, path + ".payload");
		}
		else {
			List<String> unknown = template.unknown(groups);
			if (!unknown.isEmpty()) {
				throw GatewayException.invalidField(path + ".payload", "uses ${" + String.join("}, ${", unknown)
						+ "}, which the rule's match does not capture (a regex or hexRegex group number or name); write $${ for a literal ${");
			}
			if (encoding == Encoding.HEX) {
				// The literal parts must be hex already; the captures fill in the rest.
				String literal = template.literalText();
				for (int k = 0; k < literal.length(); k++) {
					char c = literal.charAt(k);
					if (Character.digit(c, 16) < 0 && !Character.isWhitespace(c) && c != ':' && c != '-' && c != 'x'
							&& c != 'X') {
						throw new GatewayException(ErrorCode.INVALID_PAYLOAD,
								path + ".payload: '" + c + "' is not a hex digit", null,
								Map.of("field", path + ".payload"), null);
					}
				}
			}
		}
		return new FrameTemplate(template, fixed, encoding, (frame.delayMs() != null) ? frame.delayMs() : 0,
				(frame.chunkBytes() != null) ? frame.chunkBytes() : 0,
				(frame.chunkDelayMs() != null) ? frame.chunkDelayMs() : 0);
	}

	private static Template parseTemplate(String payload, String field) {
		try {
			return Template.parse(payload);
		}
		catch (IllegalArgumentException ex) {
			throw GatewayException.invalidField(field, ex.getMessage());
		}
	}

	private static byte[] decodePayload(String text, Encoding encoding, String field) {
		try {
			return Payloads.decode(text, encoding);
		}
		catch (InvalidPayloadException ex) {
			throw new GatewayException(ErrorCode.INVALID_PAYLOAD,
					field + " is not valid " + encoding.value() + ": " + ex.getMessage(), null,
					Map.of("position", ex.position(), "field", field), null);
		}
	}

	private static void checkLength(int length, Limits limits, String field) {
		if (length > limits.maxPayloadBytes()) {
			throw new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE, field + " is " + length + " bytes; the limit is "
					+ limits.maxPayloadBytes() + " bytes (gateway.limits.max-payload-bytes)");
		}
		if (length > limits.maxFrameLength()) {
			throw GatewayException.invalidField(field,
					"is " + length + " bytes; the framing carries at most " + limits.maxFrameLength() + " bytes");
		}
	}

	private enum Kind {

		ANY, EQUALS, PREFIX, CONTAINS, REGEX, HEX_REGEX

	}

	private record Matching(Kind kind, byte[] value, @Nullable Pattern pattern, Set<String> groups) {

		static final Matching ANY = new Matching(Kind.ANY, new byte[0], null, Set.of());

		/** Captures when the frame matches (empty for non-regex kinds), else null. */
		@Nullable Map<String, String> match(byte[] frame) {
			return switch (this.kind) {
				case ANY -> Map.of();
				case EQUALS -> Arrays.equals(frame, this.value) ? Map.of() : null;
				case PREFIX -> (frame.length >= this.value.length
						&& Arrays.equals(frame, 0, this.value.length, this.value, 0, this.value.length)) ? Map.of()
								: null;
				case CONTAINS -> (indexOf(frame, this.value) >= 0) ? Map.of() : null;
				case REGEX -> find(new String(frame, StandardCharsets.UTF_8));
				case HEX_REGEX -> find(Payloads.encode(frame, Encoding.HEX).payload());
			};
		}

		private @Nullable Map<String, String> find(String text) {
			Pattern pattern = this.pattern;
			if (pattern == null) {
				return null;
			}
			Matcher matcher = pattern.matcher(text);
			if (!matcher.find()) {
				return null;
			}
			Map<String, String> captures = new HashMap<>();
			for (int g = 0; g <= matcher.groupCount(); g++) {
				String value = matcher.group(g);
				if (value != null) {
					captures.put(Integer.toString(g), value);
				}
			}
			for (String name : pattern.namedGroups().keySet()) {
				String value = matcher.group(name);
				if (value != null) {
					captures.put(name, value);
				}
			}
			return captures;
		}

		private static int indexOf(byte[] haystack, byte[] needle) {
			if (needle.length == 0) {
				return 0;
			}
			outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
				for (int j = 0; j < needle.length; j++) {
					if (haystack[i + j] != needle[j]) {
						continue outer;
					}
				}
				return i;
			}
			return -1;
		}

	}

	private record Rule(int index, Matching matching, Answer answer, @Nullable AtomicInteger remaining) {

		/** Counts a match; false once the rule has retired. */
		boolean use() {
			AtomicInteger remaining = this.remaining;
			if (remaining == null) {
				return true;
			}
			int left;
			do {
				left = remaining.get();
				if (left <= 0) {
					return false;
				}
			}
			while (!remaining.compareAndSet(left, left - 1));
			return true;
		}

	}

	private record FrameTemplate(@Nullable Template template, byte @Nullable [] fixed, Encoding encoding, long delayMs,
			int chunkBytes, long chunkDelayMs) {

		byte @Nullable [] render(Map<String, String> captures, Limits limits) {
			if (this.fixed != null) {
				return this.fixed;
			}
			Template template = this.template;
			if (template == null) {
				return null;
			}
			String text = template.render(captures);
			try {
				byte[] bytes = Payloads.decode(text, this.encoding);
				if (bytes.length > limits.maxPayloadBytes() || bytes.length > limits.maxFrameLength()) {
					logger.warn("A rule's answer with captures is " + bytes.length
							+ " bytes, over the payload or framing limit: frame not sent");
					return null;
				}
				return bytes;
			}
			catch (InvalidPayloadException ex) {
				logger.warn("A rule's answer with captures is not valid " + this.encoding.value() + " ("
						+ ex.getMessage() + "): frame not sent");
				return null;
			}
		}

	}

	private record Answer(List<FrameTemplate> frames, Then then, Limits limits) {

		Plan plan(@Nullable Integer rule, Map<String, String> captures) {
			List<Plan.Step> steps = new ArrayList<>(this.frames.size());
			for (FrameTemplate frame : this.frames) {
				byte[] payload = frame.render(captures, this.limits);
				if (payload != null) {
					steps.add(new Plan.Step(payload, frame.delayMs(), frame.chunkBytes(), frame.chunkDelayMs()));
				}
			}
			return new Plan(rule, List.copyOf(steps), this.then);
		}

	}

}
