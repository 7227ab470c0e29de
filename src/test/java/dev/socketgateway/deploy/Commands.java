package dev.socketgateway.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Runs a command to completion with a deadline and captures what it printed.
 */
final class Commands {

	private Commands() {
	}

	/**
	 * The outcome of a finished command.
	 *
	 * @param exitCode exit code
	 * @param stdout standard output
	 * @param stderr standard error
	 */
	record Result(int exitCode, String stdout, String stderr) {

		@Override
		public String toString() {
			return "exit " + this.exitCode + "\n--- stdout\n" + this.stdout + "\n--- stderr\n" + this.stderr;
		}

	}

	static Result run(List<String> command, Path directory, Map<String, @Nullable String> environment, Duration timeout)
			throws IOException, InterruptedException {
		Path out = Files.createTempFile("cmd", ".out");
		Path err = Files.createTempFile("cmd", ".err");
		try {
			ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
				.redirectOutput(out.toFile())
				.redirectError(err.toFile());
			// A null value removes the variable from the inherited environment.
			environment.forEach((name, value) -> {
				if (value == null) {
					builder.environment().remove(name);
				}
				else {
					builder.environment().put(name, value);
				}
			});
			Process process = builder.start();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly().waitFor();
				throw new AssertionError("timed out after " + timeout + ": " + command);
			}
			return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
					Files.readString(err, StandardCharsets.UTF_8));
		}
		finally {
			Files.deleteIfExists(out);
			Files.deleteIfExists(err);
		}
	}

}
