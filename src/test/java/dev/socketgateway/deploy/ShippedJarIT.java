package dev.socketgateway.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar carries the application and none of the benchmark's test-scope code
 * (bench/run adds it through {@code dev.socketgateway.bench.BenchGateway}). Runs in
 * {@code verify} after {@code package} (failsafe).
 */
class ShippedJarIT {

	@Test
	void jarHoldsNoBenchmarkCode() throws IOException {
		List<String> entries;
		try (JarFile jar = new JarFile(packagedJar().toFile())) {
			entries = jar.stream().map(JarEntry::getName).toList();
		}
		assertThat(entries).contains("BOOT-INF/classes/dev/socketgateway/SocketGatewayApplication.class")
			.contains("BOOT-INF/classes/application.yml")
			.noneMatch((entry) -> entry.startsWith("BOOT-INF/classes/dev/socketgateway/bench/"))
			.noneMatch((entry) -> entry.contains("application-bench"))
			.noneMatch((entry) -> entry.startsWith("BOOT-INF/classes/") && entry.endsWith("Tests.class"));
	}

	private static Path packagedJar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files
				.filter((file) -> file.getFileName().toString().matches("socket-gateway-.*\\.jar")
						&& !file.getFileName().toString().endsWith("-plain.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("no packaged jar in target/: run mvn verify"));
		}
	}

}
