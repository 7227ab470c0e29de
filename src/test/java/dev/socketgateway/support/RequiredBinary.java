package dev.socketgateway.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * Real tools in tests: a missing binary skips the test locally and fails it when
 * {@code CI=true}, so a CI image without the tool cannot pass silently.
 */
public final class RequiredBinary {

	private RequiredBinary() {
	}

	/**
	 * Finds a binary on the {@code PATH}, or skips (locally) or fails (on CI) the test.
	 * @param name the binary, e.g. {@code openssl}
	 * @return its path
	 */
	public static Path require(String name) {
		Path found = find(name);
		if (found == null) {
			String message = "'" + name + "' is not on the PATH";
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				fail(message + " and CI=true: install it in the CI image");
			}
			Assumptions.abort(message + "; skipped (set CI=true to make this a failure)");
		}
		return found;
	}

	private static Path find(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String dir : path.split(File.pathSeparator)) {
			if (dir.isEmpty()) {
				continue;
			}
			Path candidate = Path.of(dir, name);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

}
