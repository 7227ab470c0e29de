package dev.socketgateway.deploy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds an executable a test needs: skips the test when it is missing, fails it when
 * {@code CI=true}, so CI can never pass by skipping.
 */
final class RequiredBinary {

	private RequiredBinary() {
	}

	/**
	 * Find {@code name} on the {@code PATH}.
	 * @param name executable name, e.g. {@code docker-compose}
	 * @return its path
	 */
	static Path find(String name) {
		return find(name, System.getenv());
	}

	static Path find(String name, Map<String, String> env) {
		String path = env.getOrDefault("PATH", "");
		for (String dir : path.split(File.pathSeparator)) {
			if (!dir.isEmpty()) {
				Path candidate = Path.of(dir, name);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		String message = "'" + name + "' is not on the PATH";
		if ("true".equalsIgnoreCase(env.get("CI"))) {
			throw new AssertionError(message + " and CI=true: install it (docs/deploy.md lists the packages)");
		}
		return Assumptions.abort(message + ": test skipped (it fails when CI=true)");
	}

}
