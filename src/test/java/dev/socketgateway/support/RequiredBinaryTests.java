package dev.socketgateway.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A missing binary skips a test locally and fails it on CI.
 */
class RequiredBinaryTests {

	@Test
	void findsAnExecutableOnThePath(@TempDir Path directory) throws Exception {
		Path tool = Files.createFile(directory.resolve("tool"));
		assertThat(tool.toFile().setExecutable(true)).isTrue();
		assertThat(RequiredBinary.find("tool", Map.of("PATH", "/nonexistent:" + directory))).isEqualTo(tool);
	}

	@Test
	void missingBinarySkipsLocally(@TempDir Path directory) {
		assertThatExceptionOfType(TestAbortedException.class)
			.isThrownBy(() -> RequiredBinary.find("promtool", Map.of("PATH", directory.toString())))
			.withMessageContaining("apt-get install prometheus");
		// surefire's <CI>${env.CI}</CI> hands over the unresolved expression when CI is
		// unset
		assertThatExceptionOfType(TestAbortedException.class)
			.isThrownBy(() -> RequiredBinary.find("promtool", Map.of("PATH", directory.toString(), "CI", "${env.CI}")));
	}

	@Test
	void missingBinaryFailsOnCi(@TempDir Path directory) {
		assertThatExceptionOfType(AssertionFailedError.class)
			.isThrownBy(() -> RequiredBinary.find("promtool", Map.of("PATH", directory.toString(), "CI", "true")))
			.withMessageContaining("CI=true");
	}

	@Test
	void aFileThatIsNotExecutableDoesNotCount(@TempDir Path directory) throws Exception {
		Files.createFile(directory.resolve("tool"));
		assertThatExceptionOfType(TestAbortedException.class)
			.isThrownBy(() -> RequiredBinary.find("tool", Map.of("PATH", directory.toString())));
	}

}
