package dev.socketgateway.deploy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A missing tool skips a test locally and fails it on CI.
 */
class RequiredBinaryTests {

	@Test
	void findsAnExecutableOnThePath() {
		assertThat(RequiredBinary.find("sh", Map.of("PATH", "/nonexistent:/bin:/usr/bin"))).isExecutable();
	}

	@Test
	void missingBinarySkipsLocally() {
		assertThatExceptionOfType(TestAbortedException.class)
			.isThrownBy(() -> RequiredBinary.find("no-such-tool-here", Map.of("PATH", "/bin:/usr/bin")))
			.withMessageContaining("no-such-tool-here");
	}

	@Test
	void missingBinaryFailsOnCi() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> RequiredBinary.find("no-such-tool-here", Map.of("PATH", "/bin:/usr/bin", "CI", "true")))
			.withMessageContaining("CI=true");
	}

}
