package dev.socketgateway.payload;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The JSON and text forms of a framing: a preset name or an object by {@code type}, with
 * defaults filled in, equal when they mean the same.
 */
class FramingJsonTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void presetsReadAndWriteAsTheirNames() {
		for (Framing preset : Framing.presets()) {
			assertThat(this.json.readValue("\"" + preset.value() + "\"", Framing.class)).isSameAs(preset);
			assertThat(this.json.writeValueAsString(preset)).isEqualTo("\"" + preset.value() + "\"");
			assertThat(preset).hasToString(preset.value());
		}
		assertThat(Framing.of("RESP")).isSameAs(Framing.RESP);
		assertThat(Framing.presets()).hasSize(17);
	}

	@Test
	void objectsReadByTypeAndWriteWithTheirDefaults() {
		Framing length = this.json.readValue("{\"type\":\"length\",\"offset\":4,\"size\":2}", Framing.class);
		assertThat(this.json.writeValueAsString(length))
			.isEqualTo("{\"type\":\"length\",\"offset\":4,\"size\":2,\"order\":\"big\",\"adjust\":0,\"strip\":0}");
		assertThat(length).isEqualTo(
				Framing.fromMembers(Map.of("type", "length", "offset", 4, "size", 2, "strip", 0, "order", "big")));
		assertThat(length.hashCode()).isEqualTo(Framing.of("{\"type\":\"length\",\"size\":2,\"offset\":4}").hashCode());
		assertThat(length).isNotEqualTo(Framing.fromMembers(Map.of("type", "length", "offset", 4, "size", 4)));
		assertThat(length).hasToString("length{offset=4, size=2, order=big, adjust=0, strip=0}");
		assertThat(length.value()).isEqualTo("length");
		Framing delimiter = this.json.readValue(
				"{\"type\":\"delimiter\",\"delimiters\":[\"0d0a\"],\"delimiterEncoding\":\"hex\"}", Framing.class);
		assertThat(this.json.readValue(this.json.writeValueAsString(delimiter), Framing.class)).isEqualTo(delimiter);
		assertThat(delimiter).isNotEqualTo(Framing.CRLF);
	}

	@Test
	void unknownMembersAreNamed() {
		assertThatExceptionOfType(DatabindException.class)
			.isThrownBy(
					() -> this.json.readValue("{\"type\":\"length\",\"size\":2,\"sise\":2,\"bogus\":1}", Framing.class))
			.havingRootCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("unknown framing members [bogus, sise]");
	}

	@Test
	void invalidObjectsSayWhatIsWrong() {
		assertThatIllegalArgumentException().isThrownBy(() -> Framing.fromMembers(Map.of("type", "length")))
			.withMessageContaining("size is required");
		assertThatIllegalArgumentException().isThrownBy(() -> Framing.fromMembers(Map.of("type", "length", "size", 5)))
			.withMessageContaining("1, 2, 3, 4 or 8");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Framing.fromMembers(Map.of("type", "delimiter", "delimiters", List.of())))
			.withMessageContaining("1 to 8");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Framing.fromMembers(Map.of("type", "delimiter", "delimiters", List.of("x".repeat(65)))))
			.withMessageContaining("1 to 64 bytes");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Framing.fromMembers(Map.of("type", "lines", "until", "(a")))
			.withMessageContaining("RE2");
		// RE2 has no backreferences: a regex that could backtrack is refused, not run
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Framing.fromMembers(Map.of("type", "lines", "until", "(a)\\1")))
			.withMessageContaining("RE2");
		assertThatIllegalArgumentException().isThrownBy(() -> Framing.fromMembers(Map.of("type", "zigzag")))
			.withMessageContaining("unknown framing type 'zigzag'");
		assertThatIllegalArgumentException().isThrownBy(() -> Framing.fromJson(42))
			.withMessageContaining("preset name");
		assertThatIllegalArgumentException().isThrownBy(() -> Framing.of("null"))
			.withMessageContaining("resp, reply-code");
	}

	@Test
	void configurationPropertiesFormsGiveTheSameFraming() {
		assertThat(FramingSpec.of("mqtt").toFraming()).isSameAs(Framing.MQTT);
		assertThat(new FramingSpec("length", 4, 2, null, null, null, null, null, null, null).toFraming())
			.isEqualTo(Framing.fromMembers(Map.of("type", "length", "offset", 4, "size", 2)));
		assertThat(FramingSpec.of("{\"type\":\"fixed\",\"size\":3}").toFraming())
			.isEqualTo(Framing.fromMembers(Map.of("type", "fixed", "size", 3)));
	}

	@Test
	void onlyRawAndHttpLeaveTheEndToTheClose() {
		assertThat(Framing.presets().stream().filter((framing) -> !framing.endsFramesItself()))
			.containsExactly(Framing.RAW, Framing.HTTP);
	}

}
