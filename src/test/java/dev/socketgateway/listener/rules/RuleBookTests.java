package dev.socketgateway.listener.rules;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Payloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class RuleBookTests {

	private static final RuleBook.Limits TCP = new RuleBook.Limits(false, 1 << 20, Integer.MAX_VALUE);

	private static final RuleBook.Limits UDP = new RuleBook.Limits(true, 1 << 20, Integer.MAX_VALUE);

	static MatchSpec match(String kind, String value) {
		return new MatchSpec(kind.equals("equals") ? value : null, kind.equals("prefix") ? value : null,
				kind.equals("contains") ? value : null, kind.equals("regex") ? value : null,
				kind.equals("hexRegex") ? value : null, kind.equals("hex") ? value : null,
				kind.equals("hexPrefix") ? value : null);
	}

	static RuleSpec rule(@Nullable MatchSpec match, String... answers) {
		return new RuleSpec(match, Arrays.stream(answers).map((a) -> RespondFrame.of(a, Encoding.UTF8)).toList(), null,
				null);
	}

	static String text(Plan plan) {
		return String.join("|",
				plan.frames().stream().map((s) -> new String(s.payload(), StandardCharsets.UTF_8)).toList());
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void textKindsMatchTheFrameAndFirstMatchWins() {
		RuleBook book = RuleBook.compile(
				List.of(rule(match("equals", "PING"), "+PONG"), rule(match("prefix", "GET "), "got"),
						rule(match("contains", "ELL"), "hello back"), rule(match("equals", "PING"), "never")),
				null, TCP);
		assertThat(text(book.decide(bytes("PING")))).isEqualTo("+PONG");
		assertThat(book.decide(bytes("PING")).rule()).isZero();
		assertThat(book.decide(bytes("PINGX")).rule()).isNull();
		assertThat(text(book.decide(bytes("GET key")))).isEqualTo("got");
		assertThat(book.decide(bytes("GETkey")).rule()).isNull();
		assertThat(book.decide(bytes("xHELLOx")).rule()).isEqualTo(2);
	}

	@Test
	void hexKindsMatchBytes() {
		RuleBook book = RuleBook.compile(
				List.of(rule(match("hex", "00 ff:10"), "exact"), rule(match("hexPrefix", "0xCAFE"), "prefix")), null,
				TCP);
		assertThat(book.decide(new byte[] { 0, (byte) 0xff, 0x10 }).rule()).isZero();
		assertThat(book.decide(new byte[] { 0, (byte) 0xff }).rule()).isNull();
		assertThat(book.decide(new byte[] { (byte) 0xca, (byte) 0xfe, 1, 2 }).rule()).isEqualTo(1);
		assertThat(book.decide(new byte[] { (byte) 0xca }).rule()).isNull();
	}

	@Test
	void absentMatchAnswersAnyFrameAndNoRuleMeansDefaultOrNothing() {
		RuleBook none = RuleBook.compile(List.of(rule(match("equals", "a"), "A")), null, TCP);
		assertThat(none.decide(bytes("b"))).isEqualTo(Plan.NONE);
		RuleBook fallback = RuleBook.compile(List.of(rule(match("equals", "a"), "A")),
				new DefaultResponse(List.of(RespondFrame.of("500 what?", Encoding.UTF8)), Then.CLOSE), TCP);
		Plan plan = fallback.decide(bytes("b"));
		assertThat(plan.rule()).isNull();
		assertThat(text(plan)).isEqualTo("500 what?");
		assertThat(plan.then()).isEqualTo(Then.CLOSE);
		RuleBook any = RuleBook.compile(List.of(rule(null, "anything")), null, TCP);
		assertThat(any.decide(new byte[0]).rule()).isZero();
	}

	@Test
	void regexGroupsFillNumberedAndNamedPlaceholdersAndDoubledDollarEscapes() {
		RuleBook book = RuleBook.compile(List
			.of(rule(match("regex", "^GET (?P<key>\\w+) (\\d+)$"), "VALUE ${key} ${2}", "whole=${0} literal=$${key}")),
				null, TCP);
		Plan plan = book.decide(bytes("GET user 42"));
		assertThat(text(plan)).isEqualTo("VALUE user 42|whole=GET user 42 literal=${key}");
	}

	@Test
	void hexRegexCapturesHexDigitsForBinaryAnswers() {
		// A DNS query: the answer copies the query's id, the first two bytes.
		RuleBook book = RuleBook.compile(
				List.of(new RuleSpec(match("hexRegex", "^(?P<id>[0-9a-f]{4})0100"),
						List.of(new RespondFrame("${id} 8180", Encoding.HEX, null, null, null)), null, null)),
				null, UDP);
		Plan plan = book.decide(new byte[] { 0x12, 0x34, 0x01, 0x00, 0x00, 0x01 });
		assertThat(plan.frames().get(0).payload()).containsExactly(0x12, 0x34, 0x81, 0x80);
		assertThat(book.decide(new byte[] { 0x12, 0x34, 0x00, 0x00 })).isEqualTo(Plan.NONE);
	}

	@Test
	void aRuleRetiresAfterTimesMatchesAcrossThreads() throws Exception {
		RuleBook book = RuleBook.compile(List.of(
				new RuleSpec(match("equals", "x"), List.of(RespondFrame.of("first", Encoding.UTF8)), null, 1000),
				rule(match("equals", "x"), "later")), null, TCP);
		AtomicInteger first = new AtomicInteger();
		CountDownLatch done = new CountDownLatch(8);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			for (int t = 0; t < 8; t++) {
				pool.execute(() -> {
					for (int i = 0; i < 500; i++) {
						Integer rule = book.decide(bytes("x")).rule();
						if (rule != null && rule == 0) {
							first.incrementAndGet();
						}
					}
					done.countDown();
				});
			}
			assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(first.get()).isEqualTo(1000);
		assertThat(book.decide(bytes("x")).rule()).isEqualTo(1);
	}

	@Test
	void noRespondSwallowsTheFrameButRecordsTheRule() {
		RuleBook book = RuleBook.compile(List.of(new RuleSpec(match("prefix", "QUIT"), null, Then.RESET, null),
				new RuleSpec(match("prefix", "NOOP"), List.of(), null, null)), null, TCP);
		Plan quit = book.decide(bytes("QUIT"));
		assertThat(quit.rule()).isZero();
		assertThat(quit.frames()).isEmpty();
		assertThat(quit.then()).isEqualTo(Then.RESET);
		assertThat(book.decide(bytes("NOOP")).silent()).isTrue();
		assertThat(book.decide(bytes("NOOP")).rule()).isEqualTo(1);
	}

	@Test
	void respondFramesCarryTheirTimingAndDecodeTheirEncoding() {
		RuleBook book = RuleBook
			.compile(List.of(new RuleSpec(null, List.of(new RespondFrame("aGk=", Encoding.BASE64, 5, 2, 7),
					new RespondFrame("00ff", Encoding.HEX, null, null, null)), null, null)), null, TCP);
		Plan plan = book.decide(bytes("?"));
		assertThat(plan.frames()).hasSize(2);
		Plan.Step first = plan.frames().get(0);
		assertThat(first.payload()).containsExactly('h', 'i');
		assertThat(first.delayMs()).isEqualTo(5);
		assertThat(first.chunkBytes()).isEqualTo(2);
		assertThat(first.chunkDelayMs()).isEqualTo(7);
		assertThat(plan.frames().get(1).payload()).containsExactly(0x00, 0xff);
	}

	@Test
	void aPathologicalRegexOnAMebibyteFrameRunsInLinearTime() {
		byte[] frame = new byte[(1 << 20) + 1];
		Arrays.fill(frame, (byte) 'a');
		frame[frame.length - 1] = 'b';
		RuleBook book = RuleBook.compile(List.of(rule(match("regex", "(a+)+$"), "matched")), null, TCP);
		// With backtracking this takes longer than the age of the universe; RE2/J is
		// linear.
		Plan plan = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> book.decide(frame));
		assertThat(plan.rule()).isNull();
		byte[] good = Arrays.copyOf(frame, frame.length - 1);
		assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> book.decide(good)).rule()).isZero();
	}

	@Test
	void placeholdersMustNameGroupsOfTheRulesRegex() {
		assertRejected(() -> RuleBook.compile(List.of(rule(match("equals", "x"), "v=${1}")), null, TCP),
				"rules[0].respond[0].payload", "does not capture");
		assertRejected(() -> RuleBook.compile(List.of(rule(match("regex", "(?P<a>x)"), "${b}")), null, TCP),
				"rules[0].respond[0].payload", "${b}");
		assertRejected(() -> RuleBook.compile(List.of(rule(match("regex", "(x)"), "${2}")), null, TCP),
				"rules[0].respond[0].payload", "${2}");
		assertRejected(() -> RuleBook.compile(List.of(rule(match("regex", "(x)"), "${1")), null, TCP),
				"rules[0].respond[0].payload", "unterminated");
		assertRejected(() -> RuleBook.compile(null,
				new DefaultResponse(List.of(RespondFrame.of("${1}", Encoding.UTF8)), null), TCP),
				"defaultResponse.respond[0].payload", "does not capture");
	}

	@Test
	void invalidPatternsAndHexAreRejectedNamingTheField() {
		assertRejected(() -> RuleBook.compile(List.of(rule(match("regex", "(a"), "x")), null, TCP),
				"rules[0].match.regex", "RE2");
		assertRejected(() -> RuleBook.compile(List.of(rule(match("regex", "(a)\\1"), "x")), null, TCP),
				"rules[0].match.regex", "RE2");
		assertRejected(() -> RuleBook.compile(List.of(rule(match("hex", "abc"), "x")), null, TCP), "rules[0].match.hex",
				"hex");
		assertRejected(() -> RuleBook.compile(List.of(rule(match("hexPrefix", "zz"), "x")), null, TCP),
				"rules[0].match.hexPrefix", "hex");
		assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> RuleBook.compile(List
			.of(new RuleSpec(null, List.of(new RespondFrame("0g", Encoding.HEX, null, null, null)), null, null)), null,
				TCP))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.INVALID_PAYLOAD));
	}

	@Test
	void udpRulesCannotCloseResetOrDrip() {
		assertRejected(() -> RuleBook.compile(List.of(new RuleSpec(null, null, Then.CLOSE, null)), null, UDP),
				"rules[0].then", "UDP");
		assertRejected(() -> RuleBook.compile(
				List.of(new RuleSpec(null, List.of(new RespondFrame("x", null, null, 1, null)), null, null)), null,
				UDP), "rules[0].respond[0].chunkBytes", "datagram");
	}

	@Test
	void answersMustFitTheFramingAndThePayloadLimit() {
		RuleBook.Limits length1 = new RuleBook.Limits(false, 1 << 20, 255);
		assertRejected(() -> RuleBook.compile(List.of(rule(null, "x".repeat(256))), null, length1),
				"rules[0].respond[0].payload", "at most 255");
		RuleBook.Limits small = new RuleBook.Limits(false, 4, Integer.MAX_VALUE);
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> RuleBook.compile(List.of(rule(null, "12345")), null, small))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
		// A capture that makes an answer too long is not sent, the rest of the plan is.
		RuleBook book = RuleBook.compile(List.of(rule(match("regex", "(.*)"), "${1}", "ok")), null, small);
		assertThat(text(book.decide(bytes("123456")))).isEqualTo("ok");
	}

	@Test
	void aCaptureThatBreaksAHexAnswerDropsOnlyThatFrame() {
		RuleBook book = RuleBook.compile(List.of(new RuleSpec(match("hexRegex", "^(.)"),
				List.of(new RespondFrame("${1}", Encoding.HEX, null, null, null), RespondFrame.of("ok", Encoding.UTF8)),
				null, null)), null, UDP);
		assertThat(text(book.decide(new byte[] { 0x41 }))).isEqualTo("ok");
		assertThat(Payloads.encode(new byte[] { 0x41 }, Encoding.HEX).payload()).isEqualTo("41");
	}

	static void assertRejected(Runnable compile, String field, String detail) {
		assertThatExceptionOfType(GatewayException.class).isThrownBy(compile::run).satisfies((ex) -> {
			assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
			assertThat(ex.getMessage()).startsWith(field + ":").contains(detail);
		});
	}

}
