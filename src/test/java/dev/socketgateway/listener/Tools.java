package dev.socketgateway.listener;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.socketgateway.support.RequiredBinary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs real client programs (redis-cli, dig, python3) against listeners.
 */
final class Tools {

	private Tools() {
	}

	record Result(int exit, String output) {

	}

	/**
	 * Runs a program found on the PATH and waits for it.
	 * @param program the executable's name
	 * @param args its arguments
	 * @return exit code and combined output
	 */
	static Result run(String program, String... args) throws IOException, InterruptedException {
		Path executable = RequiredBinary.find(program);
		List<String> command = new ArrayList<>();
		command.add(executable.toString());
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
			.start();
		boolean done = process.waitFor(30, TimeUnit.SECONDS);
		if (!done) {
			process.destroyForcibly();
		}
		assertThat(done).as(command + " finished within 30 s").isTrue();
		try (InputStream in = process.getInputStream()) {
			return new Result(process.exitValue(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

}
