package dev.socketgateway.conversation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.egress.Protocol;
import dev.socketgateway.egress.TargetRequest;
import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.payload.PayloadCodec;
import dev.socketgateway.conversation.ConversationPlan.Action;
import dev.socketgateway.conversation.ConversationPlan.FrameMatcher;
import dev.socketgateway.conversation.ConversationPlan.MatchKind;
import dev.socketgateway.conversation.ConversationPlan.Step;

/**
 * Checks a conversation request and compiles its regexes (RE2/J): every problem is a 400
 * naming the field, e.g. {@code steps[2].expect}.
 */
@Component
public class ConversationCompiler {

	/** Most steps in one conversation. */
	public static final int MAX_STEPS = 100;

	/** Default deadline of a conversation. */
	public static final int DEFAULT_TIMEOUT_MS = 30_000;

	/** Longest deadline of a conversation. */
	public static final int MAX_TIMEOUT_MS = 300_000;

	private final PayloadCodec payloads;

	private final int defaultConnectTimeoutMs;

	public ConversationCompiler(PayloadCodec payloads, GatewayProperties properties) {
		this.payloads = payloads;
		this.defaultConnectTimeoutMs = (int) properties.timeouts().connect().toMillis();
	}

	/**
	 * Checks and compiles a request.
	 * @param request the request
	 * @param defaultTimeoutMs the deadline when the request gives none
	 * @return the conversation
	 * @throws GatewayException VALIDATION_FAILED, INVALID_PAYLOAD or PAYLOAD_TOO_LARGE
	 */
	public Conversation compile(ConversationRequest request, int defaultTimeoutMs) {
		Protocol protocol = (request.protocol() != null) ? request.protocol() : Protocol.TCP;
		int timeoutMs = range("timeoutMs", request.timeoutMs(), 1, MAX_TIMEOUT_MS, defaultTimeoutMs);
		int connectTimeoutMs = range("connectTimeoutMs", request.connectTimeoutMs(), 1, 120_000,
				this.defaultConnectTimeoutMs);
		Encoding encoding = (request.encoding() != null) ? request.encoding() : Encoding.UTF8;
		boolean tls = Boolean.TRUE.equals(request.tls());
		if (protocol == Protocol.UDP && tls) {
			throw GatewayException.invalidField("tls", "UDP conversations cannot use TLS");
		}
		Map<String, String> vars = new LinkedHashMap<>();
		if (request.vars() != null) {
			request.vars().forEach((name, value) -> {
				if (!Templates.validName(name)) {
					throw GatewayException.invalidField("vars",
							"'" + name + "' is not a variable name: use letters, digits and _ (at most 64)");
				}
				if (value == null) {
					throw GatewayException.invalidField("vars." + name, "must be a string");
				}
				vars.put(name, value);
			});
		}
		List<ConversationStep> given = request.steps();
		if (given == null || given.isEmpty() || given.size() > MAX_STEPS) {
			throw GatewayException.invalidField("steps", "give 1 to " + MAX_STEPS + " steps"
					+ ((given != null && !given.isEmpty()) ? ", not " + given.size() : ""));
		}
		Framing sendFraming = (request.sendFraming() != null) ? request.sendFraming() : request.framing();
		Set<String> known = new HashSet<>(vars.keySet());
		List<Step> steps = new ArrayList<>(given.size());
		for (int i = 0; i < given.size(); i++) {
			ConversationStep step = given.get(i);
			if (step == null) {
				throw GatewayException.invalidField("steps[" + i + "]", "must be an object with one action");
			}
			steps.add(step(i, step, protocol, encoding, sendFraming, known, timeoutMs));
		}
		TargetRequest target = new TargetRequest(request.target(), request.host(), request.port());
		return new Conversation(protocol, target, request.framing(), request.sendFraming(), tls, encoding,
				connectTimeoutMs, timeoutMs, Map.copyOf(vars), List.copyOf(steps), Conversation.Dialect.GATEWAY);
	}

	private Step step(int index, ConversationStep step, Protocol protocol, Encoding defaultEncoding,
			@Nullable Framing sendFraming, Set<String> known, int timeoutMs) {
		String field = "steps[" + index + "]";
		List<String> actions = new ArrayList<>();
		if (step.send() != null) {
			actions.add("send");
		}
		if (step.expect() != null) {
			actions.add("expect");
		}
		if (Boolean.TRUE.equals(step.expectClose())) {
			actions.add("expectClose");
		}
		if (Boolean.TRUE.equals(step.starttls())) {
			actions.add("starttls");
		}
		if (step.sleepMs() != null) {
			actions.add("sleepMs");
		}
		if (actions.size() != 1) {
			throw GatewayException.invalidField(field,
					actions.isEmpty() ? "has no action: give one of send, expect, expectClose, starttls, sleepMs"
							: "has " + actions.size() + " actions (" + String.join(", ", actions)
									+ "): give exactly one per step");
		}
		String action = actions.get(0);
		Encoding encoding = (step.encoding() != null) ? step.encoding() : defaultEncoding;
		boolean expecting = action.equals("expect");
		if (!expecting && step.reject() != null) {
			throw GatewayException.invalidField(field + ".reject", "only an expect step can reject frames");
		}
		if (!expecting && step.capture() != null) {
			throw GatewayException.invalidField(field + ".capture", "only an expect step captures");
		}
		if (!expecting && !action.equals("expectClose") && step.timeoutMs() != null) {
			throw GatewayException.invalidField(field + ".timeoutMs", "only expect and expectClose steps wait");
		}
		Integer stepTimeout = (step.timeoutMs() != null)
				? range(field + ".timeoutMs", step.timeoutMs(), 1, MAX_TIMEOUT_MS, 0) : null;
		String name = step.name();
		switch (action) {
			case "send" -> {
				String send = step.send();
				Set<String> names;
				try {
					names = Templates.names(send);
				}
				catch (IllegalArgumentException ex) {
					throw GatewayException.invalidField(field + ".send", String.valueOf(ex.getMessage()));
				}
				for (String var : names) {
					if (!known.contains(var)) {
						throw GatewayException.invalidField(field + ".send", "${" + var
								+ "} is neither in vars nor captured by an earlier step (write $${ for a literal ${)");
					}
				}
				if (names.isEmpty()) {
					byte[] bytes = decode(field + ".send", Templates.expand(send, Map.of()), encoding);
					if (protocol == Protocol.TCP && sendFraming != null
							&& bytes.length > sendFraming.maxPayloadLength()) {
						throw GatewayException.invalidField(field + ".send",
								"is " + bytes.length + " bytes; " + sendFraming.value() + " framing carries at most "
										+ sendFraming.maxPayloadLength() + " bytes");
					}
				}
				return new Step(index, name, Action.SEND, send, encoding, null, null, false, null, 0, null);
			}
			case "expect" -> {
				FrameMatcher matcher = matcher(field + ".expect", step.expect(), known);
				Pattern reject = (step.reject() != null) ? regex(field + ".reject", step.reject()) : null;
				boolean capture = Boolean.TRUE.equals(step.capture());
				if (capture) {
					if (matcher.kind() != MatchKind.REGEX || matcher.regex() == null
							|| matcher.regex().namedGroups().isEmpty()) {
						throw GatewayException.invalidField(field + ".capture",
								"needs an expect regex with named groups, e.g. (?P<name>\\\\d+)");
					}
					known.addAll(matcher.regex().namedGroups().keySet());
				}
				return new Step(index, name, Action.EXPECT, null, encoding, matcher, reject, capture, stepTimeout, 0,
						null);
			}
			case "expectClose" -> {
				if (protocol == Protocol.UDP) {
					throw GatewayException.invalidField(field + ".expectClose", "UDP has no connection to close");
				}
				return new Step(index, name, Action.EXPECT_CLOSE, null, encoding, null, null, false, stepTimeout, 0,
						null);
			}
			case "starttls" -> {
				if (protocol == Protocol.UDP) {
					throw GatewayException.invalidField(field + ".starttls", "UDP conversations cannot use TLS");
				}
				return new Step(index, name, Action.STARTTLS, null, encoding, null, null, false, null, 0, null);
			}
			default -> {
				int sleep = range(field + ".sleepMs", step.sleepMs(), 0, timeoutMs, 0);
				return new Step(index, name, Action.SLEEP, null, encoding, null, null, false, null, sleep, null);
			}
		}
	}

	private FrameMatcher matcher(String field, @Nullable Expect expect, Set<String> known) {
		if (expect == null) {
			throw GatewayException.invalidField(field, "is required");
		}
		List<FrameMatcher> given = new ArrayList<>();
		if (expect.equals() != null) {
			given.add(new FrameMatcher(MatchKind.EQUALS, expect.equals(), null));
		}
		if (expect.prefix() != null) {
			given.add(new FrameMatcher(MatchKind.PREFIX, expect.prefix(), null));
		}
		if (expect.contains() != null) {
			given.add(new FrameMatcher(MatchKind.CONTAINS, expect.contains(), null));
		}
		if (expect.regex() != null) {
			given.add(new FrameMatcher(MatchKind.REGEX, expect.regex(), regex(field, expect.regex())));
		}
		if (expect.hex() != null) {
			given.add(new FrameMatcher(MatchKind.HEX, expect.hex(), null));
		}
		if (expect.hexPrefix() != null) {
			given.add(new FrameMatcher(MatchKind.HEX_PREFIX, expect.hexPrefix(), null));
		}
		if (given.size() != 1) {
			throw GatewayException.invalidField(field,
					"give exactly one of equals, prefix, contains, regex, hex, hexPrefix (or a regex string)");
		}
		FrameMatcher matcher = given.get(0);
		if (matcher.kind() != MatchKind.REGEX) {
			Set<String> names;
			try {
				names = Templates.names(matcher.value());
			}
			catch (IllegalArgumentException ex) {
				throw GatewayException.invalidField(field, String.valueOf(ex.getMessage()));
			}
			for (String var : names) {
				if (!known.contains(var)) {
					throw GatewayException.invalidField(field,
							"${" + var + "} is neither in vars nor captured by an earlier step");
				}
			}
			if (names.isEmpty() && (matcher.kind() == MatchKind.HEX || matcher.kind() == MatchKind.HEX_PREFIX)) {
				decode(field, matcher.value(), Encoding.HEX);
			}
		}
		return matcher;
	}

	/**
	 * Compiles a regex with RE2/J, or fails naming the field.
	 * @param field the field
	 * @param regex the regex
	 * @return the pattern
	 */
	static Pattern regex(String field, String regex) {
		try {
			return Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw GatewayException.invalidField(field, "is not an RE2 regex: " + ex.getMessage());
		}
	}

	private byte[] decode(String field, String payload, Encoding encoding) {
		try {
			byte[] bytes = this.payloads.decode(payload, encoding);
			return (bytes != null) ? bytes : new byte[0];
		}
		catch (GatewayException ex) {
			throw new GatewayException(ex.code(), field + ": " + ex.getMessage(), null, ex.properties(), null);
		}
	}

	private static int range(String field, @Nullable Integer value, int min, int max, int fallback) {
		if (value == null) {
			return fallback;
		}
		if (value < min || value > max) {
			throw GatewayException.invalidField(field, "must be between " + min + " and " + max + ", was " + value);
		}
		return value;
	}

}
