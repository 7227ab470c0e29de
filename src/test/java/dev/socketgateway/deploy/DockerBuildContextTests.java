package dev.socketgateway.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.socketgateway.support.RequiredBinary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's build context, chosen by Docker's own {@code .dockerignore} rules
 * (docker-py's {@code exclude_paths}, which Debian's docker-compose brings), holds every
 * main source and compiles: a pattern such as {@code **}{@code /target/} once swallowed a
 * package named {@code target}.
 */
class DockerBuildContextTests {

	private static final Path ROOT = Path.of("").toAbsolutePath();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String EXCLUDE_PATHS = """
			import json, sys
			from docker.utils.build import exclude_paths
			root = sys.argv[1]
			patterns = json.loads(sys.argv[2])
			print(json.dumps(sorted(exclude_paths(root, patterns))))
			""";

	static Path python;

	@BeforeAll
	static void python() throws Exception {
		python = RequiredBinary.find("python3");
		Commands.Result probe = Commands.run(List.of(python.toString(), "-c", "import docker.utils.build"), ROOT,
				Map.of(), Duration.ofSeconds(30));
		String message = "python3 has no docker module; install it with: apt-get install python3-docker";
		if (probe.exitCode() != 0 && "true".equalsIgnoreCase(System.getenv("CI"))) {
			Assertions.fail(message + " (CI=true: required, not skipped)");
		}
		Assumptions.assumeTrue(probe.exitCode() == 0, message);
	}

	@Test
	void contextHoldsEveryMainSourceAndCompiles(@TempDir Path context) throws Exception {
		List<String> files = contextFiles(dockerignore());
		assertThat(missingMainSources(files)).as("src/main files Docker leaves out of the context").isEmpty();
		assertThat(files).as("build output stays out").noneMatch((file) -> file.startsWith("target/"));
		assertThat(files).contains("mvnw", "pom.xml", ".mvn/wrapper/maven-wrapper.properties")
			.noneMatch((file) -> file.startsWith(".git/"));
		for (String file : files) {
			Path to = context.resolve(file);
			Files.createDirectories(to.getParent());
			Files.copy(ROOT.resolve(file), to, StandardCopyOption.COPY_ATTRIBUTES);
		}
		Commands.Result compile = Commands.run(List.of("./mvnw", "-q", "-o", "-B", "-DskipTests", "compile"), context,
				Map.of(), Duration.ofMinutes(5));
		assertThat(compile.exitCode()).as("compile in the build context: %s", compile).isZero();
	}

	@Test
	void aPatternThatSwallowsAPackageIsCaught() throws Exception {
		List<String> patterns = new ArrayList<>(dockerignore());
		// What **/target/ did to the package that was called target.
		patterns.add("**/egress/");
		assertThat(missingMainSources(contextFiles(patterns)))
			.contains("src/main/java/dev/socketgateway/egress/TargetPolicy.java");
	}

	/** The patterns as docker-py's build reads them. */
	private static List<String> dockerignore() throws IOException {
		return Files.readAllLines(ROOT.resolve(".dockerignore"))
			.stream()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
	}

	private static List<String> contextFiles(List<String> patterns) throws Exception {
		String json = JSON.writeValueAsString(patterns);
		Commands.Result result = Commands.run(List.of(python.toString(), "-c", EXCLUDE_PATHS, ROOT.toString(), json),
				ROOT, Map.of(), Duration.ofMinutes(2));
		assertThat(result.exitCode()).as("%s", result).isZero();
		List<String> files = JSON.readValue(result.stdout(), new TypeReference<List<String>>() {
		});
		return files.stream().filter((file) -> Files.isRegularFile(ROOT.resolve(file))).toList();
	}

	private static List<String> missingMainSources(List<String> contextFiles) throws IOException {
		try (Stream<Path> main = Files.walk(ROOT.resolve("src/main"))) {
			return main.filter(Files::isRegularFile)
				.map((file) -> ROOT.relativize(file).toString())
				.filter((file) -> !contextFiles.contains(file))
				.sorted(Comparator.naturalOrder())
				.toList();
		}
	}

}
