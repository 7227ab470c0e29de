package dev.socketgateway.listener.rules;

import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

class RuleSpecValidationTests {

	private static ValidatorFactory factory;

	private static Validator validator;

	private final JsonMapper json = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	@BeforeAll
	static void start() {
		factory = Validation.buildDefaultValidatorFactory();
		validator = factory.getValidator();
	}

	@AfterAll
	static void stop() {
		factory.close();
	}

	RuleSpec parse(String body) {
		return this.json.readValue(body, RuleSpec.class);
	}

	List<String> violations(Object value) {
		Set<ConstraintViolation<Object>> violations = validator.validate(value);
		return violations.stream().map((v) -> v.getPropertyPath() + ": " + v.getMessage()).sorted().toList();
	}

	@Test
	void aRuleParsesFromTheDocumentedJson() {
		RuleSpec rule = parse("""
				{"match": {"regex": "^GET (\\\\w+)"}, "respond": [{"payload": "v ${1}", "delayMs": 5,
				 "chunkBytes": 2, "chunkDelayMs": 10, "encoding": "utf8"}], "then": "close", "times": 3}""");
		assertThat(rule.match().regex()).isEqualTo("^GET (\\w+)");
		assertThat(rule.respond()).hasSize(1);
		assertThat(rule.then()).isEqualTo(Then.CLOSE);
		assertThat(rule.times()).isEqualTo(3);
		assertThat(violations(rule)).isEmpty();
	}

	@Test
	void aMatchNamesExactlyOneKind() {
		assertThat(violations(parse("{\"match\": {\"equals\": \"a\", \"prefix\": \"b\"}}")))
			.containsExactly("match: names equals and prefix: a match has exactly one kind");
		assertThat(violations(parse("{\"match\": {}}"))).singleElement()
			.asString()
			.startsWith("match: must name one of equals");
		assertThat(violations(parse("{\"match\": {\"hexPrefix\": \"00\"}}"))).isEmpty();
	}

	@Test
	void unknownMembersAndUnknownThenAreRefused() {
		assertThatException().isThrownBy(() -> parse("{\"match\": {\"startsWith\": \"a\"}}"))
			.withMessageContaining("startsWith");
		assertThatException().isThrownBy(() -> parse("{\"respond\": [{\"payload\": \"a\", \"delay\": 1}]}"))
			.withMessageContaining("delay");
		assertThatException().isThrownBy(() -> parse("{\"then\": \"explode\"}")).withMessageContaining("explode");
	}

	@Test
	void numbersAreBounded() {
		assertThat(violations(parse("""
				{"respond": [{"payload": "a", "delayMs": -1, "chunkBytes": 0}], "times": 0}"""))).containsExactly(
				"respond[0].chunkBytes: must be greater than or equal to 1",
				"respond[0].delayMs: must be greater than or equal to 0", "times: must be greater than or equal to 1");
		assertThat(violations(parse("{\"respond\": [{\"encoding\": \"hex\"}]}")))
			.containsExactly("respond[0].payload: must not be null");
	}

	@Test
	void rulesSerializeWithoutAbsentMembers() {
		RuleSpec rule = new RuleSpec(MatchSpec.equalsText("PING"),
				List.of(RespondFrame.of("+PONG", dev.socketgateway.payload.Encoding.UTF8)), null, null);
		assertThat(this.json.writeValueAsString(rule))
			.isEqualTo("{\"match\":{\"equals\":\"PING\"},\"respond\":[{\"payload\":\"+PONG\"}]}");
	}

}
