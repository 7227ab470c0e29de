package dev.socketgateway.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds an executable a test needs on the {@code PATH}: a missing one skips the test
 * locally and fails it when {@code CI=true}.
 */
public final class RequiredBinary {

	/**
	 * The Debian packages that bring each binary the tests run (.ci/run installs them).
	 */
	private static final Map<String, String> INSTALL_HINTS = Map.ofEntries(
			Map.entry("promtool", "apt-get install prometheus"), Map.entry("prometheus", "apt-get install prometheus"),
			Map.entry("docker-compose", "apt-get install docker-compose"), Map.entry("socat", "apt-get install socat"),
			Map.entry("openssl", "apt-get install openssl"), Map.entry("curl", "apt-get install curl"),
			Map.entry("wrk", "apt-get install wrk"), Map.entry("nc", "apt-get install netcat-openbsd"),
			Map.entry("python3", "apt-get install python3 python3-docker python3-aiosmtpd"),
			Map.entry("redis-server", "apt-get install redis-server"),
			Map.entry("redis-cli", "apt-get install redis-tools"), Map.entry("dig", "apt-get install dnsutils"),
			Map.entry("mosquitto", "apt-get install mosquitto"), Map.entry("logger", "apt-get install bsdutils"),
			Map.entry("prometheus-blackbox-exporter", "apt-get install prometheus-blackbox-exporter"),
			Map.entry("dnsmasq", "apt-get install dnsmasq"), Map.entry("chromium", "apt-get install chromium"),
			Map.entry("chromedriver", "apt-get install chromium-driver"));

	private RequiredBinary() {
	}

	/**
	 * Returns the executable called {@code name} on the {@code PATH}, or skips (locally)
	 * or fails (on CI) the calling test.
	 * @param name the executable's file name, e.g. {@code promtool}
	 * @return its path
	 */
	public static Path find(String name) {
		return find(name, System.getenv());
	}

	public static Path find(String name, Map<String, String> environment) {
		String path = environment.getOrDefault("PATH", "");
		for (String directory : path.split(File.pathSeparator)) {
			if (directory.isEmpty()) {
				continue;
			}
			Path candidate = Path.of(directory, name);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		String message = "'" + name + "' is not on the PATH (" + path + ")";
		String hint = INSTALL_HINTS.get(name);
		if (hint != null) {
			message += "; install it with: " + hint;
		}
		// surefire passes CI through as the literal "${env.CI}" when it is unset
		if ("true".equalsIgnoreCase(environment.get("CI"))) {
			return Assertions.fail(message + " (CI=true: required, not skipped)");
		}
		return Assumptions.abort(message + " (skipped; with CI=true this fails)");
	}

}
