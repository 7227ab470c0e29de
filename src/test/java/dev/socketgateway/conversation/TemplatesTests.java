package dev.socketgateway.conversation;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@code ${name}} templates of sends and blackbox_exporter's Go-style expansion.
 */
class TemplatesTests {

	@Test
	void varsAreReplacedAndADoubledDollarBraceIsLiteral() {
		assertThat(Templates.expand("EHLO ${host} $${host} $5", Map.of("host", "mx.test")))
			.isEqualTo("EHLO mx.test ${host} $5");
		assertThat(Templates.names("a ${one} $${two} ${three}")).containsExactly("one", "three");
	}

	@Test
	void unterminatedOrInvalidReferencesAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Templates.names("x ${open"))
			.withMessageContaining("position 2");
		assertThatIllegalArgumentException().isThrownBy(() -> Templates.names("${a-b}"))
			.withMessageContaining("not a variable name");
	}

	@Test
	void goExpansionAsBlackboxExporterSends() {
		Map<String, String> groups = Map.of("0", "220 mx ESMTP", "1", "mx", "name", "mx");
		assertThat(Templates.expandGo("EHLO ${1} $name $$ $missing.", groups)).isEqualTo("EHLO mx mx $ .");
	}

}
