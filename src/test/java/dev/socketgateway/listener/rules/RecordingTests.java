package dev.socketgateway.listener.rules;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.socketgateway.payload.Encoding;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingTests {

	private static final RuleBook.Limits TCP = new RuleBook.Limits(false, 1 << 20, Integer.MAX_VALUE);

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void eachAnsweredClientFrameBecomesAnEqualsRuleWithTheUpstreamFramesThatFollowedIt() {
		Recording recording = new Recording(100, 1 << 20);
		recording.client("c1", bytes("*1"));
		recording.client("c1", bytes("PING"));
		recording.upstream("c1", bytes("+PONG"));
		recording.client("c2", bytes("GET k"));
		recording.upstream("c2", bytes("$1"));
		recording.upstream("c2", bytes("v"));
		List<RuleSpec> rules = recording.rules();
		assertThat(rules).containsExactly(
				new RuleSpec(MatchSpec.equalsText("PING"), List.of(RespondFrame.of("+PONG", Encoding.UTF8)), null,
						null),
				new RuleSpec(MatchSpec.equalsText("GET k"),
						List.of(RespondFrame.of("$1", Encoding.UTF8), RespondFrame.of("v", Encoding.UTF8)), null,
						null));
	}

	@Test
	void anUpstreamThatStreamsStopsBeingRecordedAtTheByteBudget() {
		Recording recording = new Recording(100, 10);
		recording.client("c", bytes("SUB"));
		for (int i = 0; i < 1000; i++) {
			recording.upstream("c", bytes("frame"));
		}
		assertThat(recording.truncated()).isTrue();
		assertThat(recording.rules()).singleElement().satisfies((rule) -> assertThat(rule.respond()).hasSize(1));
	}

	@Test
	void framesThatAreNotUtf8AreMatchedAndAnsweredInHex() {
		Recording recording = new Recording(100, 1 << 20);
		recording.client("c", new byte[] { (byte) 0xff, 0x00 });
		recording.upstream("c", new byte[] { (byte) 0xc3, 0x28 });
		assertThat(recording.rules()).containsExactly(
				new RuleSpec(MatchSpec.equalsHex("ff00"), List.of(RespondFrame.of("c328", Encoding.HEX)), null, null));
	}

	@Test
	void aFrameAnsweredDifferentlyOverTimeReplaysTheSameSequenceThenRepeatsTheLast() {
		Recording recording = new Recording(100, 1 << 20);
		for (String answer : List.of(":1", ":1", ":2", ":3")) {
			recording.client("c", bytes("INCR n"));
			recording.upstream("c", bytes(answer));
		}
		List<RuleSpec> rules = recording.rules();
		assertThat(rules).extracting(RuleSpec::times).containsExactly(2, 1, null);
		RuleBook book = RuleBook.compile(rules, null, TCP);
		List<String> replayed = new java.util.ArrayList<>();
		for (int i = 0; i < 6; i++) {
			replayed.add(new String(book.decide(bytes("INCR n")).frames().get(0).payload(), StandardCharsets.UTF_8));
		}
		assertThat(replayed).containsExactly(":1", ":1", ":2", ":3", ":3", ":3");
	}

	@Test
	void recordedAnswersThatLookLikePlaceholdersReplayLiterally() {
		Recording recording = new Recording(100, 1 << 20);
		recording.client("c", bytes("echo"));
		recording.upstream("c", bytes("cost ${1} and $${x}"));
		RuleBook book = RuleBook.compile(recording.rules(), null, TCP);
		assertThat(new String(book.decide(bytes("echo")).frames().get(0).payload(), StandardCharsets.UTF_8))
			.isEqualTo("cost ${1} and $${x}");
	}

	@Test
	void theUpstreamsGreetingIsKeptApartAndAFullRecordingSaysSo() {
		Recording recording = new Recording(1, 1 << 20);
		recording.upstream("c", bytes("220 ready"));
		recording.client("c", bytes("EHLO x"));
		recording.upstream("c", bytes("250 ok"));
		recording.client("c", bytes("QUIT"));
		recording.upstream("c", bytes("221 bye"));
		assertThat(recording.greeting()).isEqualTo("220 ready");
		assertThat(recording.truncated()).isTrue();
		assertThat(recording.rules()).extracting((r) -> r.match().equals()).containsExactly("EHLO x");
	}

}
