package dev.socketgateway.deploy;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the Dockerfile against the container rules: multi-stage Maven wrapper build,
 * layered extract, AOT cache training, non-root numeric user, ports, pinned images. There
 * is no Docker engine here, so this reads the file's instructions.
 */
class DockerfileTests {

	static final Path DOCKERFILE = Path.of("Dockerfile");

	static List<Instruction> instructions;

	/**
	 * One Dockerfile instruction with continuation lines joined.
	 *
	 * @param keyword upper-case keyword, e.g. {@code RUN}
	 * @param arguments the rest of the instruction
	 * @param stage index of the stage it belongs to (-1 before the first FROM)
	 */
	record Instruction(String keyword, String arguments, int stage) {
	}

	@BeforeAll
	static void parse() throws IOException {
		instructions = parse(Files.readAllLines(DOCKERFILE));
	}

	static List<Instruction> parse(List<String> lines) {
		List<Instruction> result = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		int stage = -1;
		for (String line : lines) {
			String trimmed = line.strip();
			if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
				continue;
			}
			if (trimmed.endsWith("\\")) {
				current.append(trimmed, 0, trimmed.length() - 1).append(' ');
				continue;
			}
			current.append(trimmed);
			String text = current.toString().strip();
			current.setLength(0);
			if (text.isEmpty()) {
				continue;
			}
			String[] parts = text.split("\\s+", 2);
			String keyword = parts[0].toUpperCase(Locale.ROOT);
			if (keyword.equals("FROM")) {
				stage++;
			}
			result.add(new Instruction(keyword, (parts.length > 1) ? parts[1] : "", stage));
		}
		return result;
	}

	private static List<Instruction> all(String keyword) {
		return instructions.stream().filter((i) -> i.keyword().equals(keyword)).toList();
	}

	private static int lastStage() {
		return all("FROM").size() - 1;
	}

	private static List<Instruction> inStage(int stage, String keyword) {
		return all(keyword).stream().filter((i) -> i.stage() == stage).toList();
	}

	/** FROM images with the global ARG defaults substituted. */
	static List<String> baseImages() {
		Map<String, String> args = new HashMap<>();
		all("ARG").stream().filter((arg) -> arg.stage() == -1).forEach((arg) -> {
			String[] kv = arg.arguments().split("=", 2);
			if (kv.length == 2) {
				args.put(kv[0].strip(), kv[1].strip().replace("\"", ""));
			}
		});
		List<String> images = new ArrayList<>();
		for (Instruction from : all("FROM")) {
			String image = from.arguments().replaceAll("--platform=\\S+\\s+", "").split("\\s+")[0];
			Matcher matcher = Pattern.compile("\\$\\{?(\\w+)}?").matcher(image);
			images.add(matcher.replaceAll((m) -> Matcher.quoteReplacement(args.getOrDefault(m.group(1), ""))));
		}
		return images;
	}

	@Test
	void buildsOnJdk25AndRunsOnJre25InSeparateStages() {
		List<Instruction> froms = all("FROM");
		assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
		assertThat(froms.get(0).arguments()).containsIgnoringCase(" AS build");
		assertThat(baseImages()).first().isEqualTo("eclipse-temurin:25-jdk");
		assertThat(baseImages()).last().isEqualTo("eclipse-temurin:25-jre");
	}

	@Test
	void baseImagesArePinnedNeverLatest() {
		assertThat(baseImages()).allSatisfy(DockerfileTests::assertPinned);
	}

	static void assertPinned(String image) {
		if (image.contains("@sha256:")) {
			return;
		}
		String lastSegment = image.substring(image.lastIndexOf('/') + 1);
		assertThat(lastSegment).as("image %s names a tag", image).contains(":");
		assertThat(lastSegment.substring(lastSegment.indexOf(':') + 1)).as("tag of %s", image)
			.isNotBlank()
			.isNotEqualToIgnoringCase("latest");
	}

	@Test
	void buildStageRunsTheMavenWrapperWithACachedRepository() {
		assertThat(inStage(0, "RUN"))
			.anySatisfy((run) -> assertThat(run.arguments()).contains("--mount=type=cache,target=/root/.m2")
				.contains("./mvnw -B -DskipTests package"));
		assertThat(inStage(0, "COPY")).extracting(Instruction::arguments)
			.anyMatch((copy) -> copy.contains("mvnw"))
			.anyMatch((copy) -> copy.contains(".mvn"))
			.anyMatch((copy) -> copy.contains("pom.xml"))
			.anyMatch((copy) -> copy.contains("src"));
	}

	@Test
	void jarIsExtractedIntoLayersWithTheToolsJarMode() {
		// Without --launcher: the AOT cache covers classes from jars on the class path,
		// which the launcher layout (exploded BOOT-INF/classes) would leave out.
		assertThat(all("RUN")).anySatisfy((run) -> assertThat(run.arguments()).contains("java -Djarmode=tools -jar")
			.contains(" extract ")
			.contains("--layers")
			.doesNotContain("--launcher"));
		List<String> copies = inStage(lastStage(), "COPY").stream()
			.map(Instruction::arguments)
			.filter((copy) -> copy.startsWith("--from=build"))
			.toList();
		assertThat(copies).hasSize(4);
		assertThat(copies.get(0)).contains("/dependencies/");
		assertThat(copies.get(1)).contains("/spring-boot-loader/");
		assertThat(copies.get(2)).contains("/snapshot-dependencies/");
		assertThat(copies.get(3)).contains("/application/");
	}

	@Test
	void aotCacheIsTrainedInTheRuntimeImageAndUsedByTheEntrypoint() {
		Instruction training = inStage(lastStage(), "RUN").stream()
			.filter((run) -> run.arguments().contains("-XX:AOTCacheOutput="))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no AOT training run in the runtime stage"));
		assertThat(training.arguments()).contains("-Dspring.context.exit=onRefresh").contains("-jar application.jar");
		String cache = option(training.arguments(), "-XX:AOTCacheOutput=");
		List<String> entrypoint = execForm(single(inStage(lastStage(), "ENTRYPOINT")).arguments());
		assertThat(entrypoint).first().isEqualTo("java");
		assertThat(entrypoint).contains("-XX:AOTCache=" + cache).containsSequence("-jar", "application.jar");
		// Spring AOT in both runs, so the cache holds the classes the entrypoint loads.
		assertThat(training.arguments()).contains("-Dspring.aot.enabled=true");
		assertThat(entrypoint.subList(0, entrypoint.indexOf("-jar"))).contains("-Dspring.aot.enabled=true");
		// The cache is trained as root (it writes app.aot) before switching user.
		assertThat(instructions.indexOf(training)).isLessThan(instructions.indexOf(single(all("USER"))));
	}

	@Test
	void runsAsANumericNonRootUser() {
		Instruction user = single(all("USER"));
		assertThat(user.stage()).isEqualTo(lastStage());
		assertThat(user.arguments()).matches("\\d+(:\\d+)?");
		assertThat(Integer.parseInt(user.arguments().split(":")[0])).isEqualTo(10001);
	}

	@Test
	void exposesApiAndManagementPorts() {
		assertThat(all("EXPOSE")).flatExtracting((e) -> List.of(e.arguments().split("\\s+")))
			.containsExactlyInAnyOrder("8080", "8081");
	}

	@Test
	void heapFollowsTheContainerMemoryLimit() {
		assertThat(inStage(lastStage(), "ENV"))
			.anySatisfy((env) -> assertThat(env.arguments()).startsWith("JAVA_TOOL_OPTIONS=")
				.contains("-XX:MaxRAMPercentage=75"));
	}

	@Test
	void healthcheckUsesBashBecauseTheJreImageHasNoCurl() {
		String healthcheck = single(all("HEALTHCHECK")).arguments();
		List<String> command = execForm(healthcheck.substring(healthcheck.indexOf("CMD") + 3));
		assertThat(command.subList(0, 2)).containsExactly("bash", "-c");
		assertThat(command.get(2)).contains("/dev/tcp/127.0.0.1/").contains("/actuator/health");
	}

	@Test
	void dockerignoreKeepsTheBuildInputsAndDropsTheRest() throws IOException {
		List<String> patterns = Files.readAllLines(Path.of(".dockerignore"))
			.stream()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#") && !line.startsWith("!"))
			.toList();
		assertThat(patterns).contains("target/", ".git");
		for (String needed : List.of("mvnw", ".mvn/wrapper/maven-wrapper.properties", "pom.xml",
				"src/main/java/dev/socketgateway/SocketGatewayApplication.java")) {
			assertThat(patterns).as("%s reaches the build context", needed)
				.noneMatch((pattern) -> ignores(pattern, needed));
		}
		for (String dropped : List.of("target/socket-gateway-0.1.0-SNAPSHOT.jar", ".git/HEAD",
				"helm/socket-gateway/Chart.yaml")) {
			assertThat(patterns).as("%s is left out", dropped).anyMatch((pattern) -> ignores(pattern, dropped));
		}
	}

	/** Docker's rule: a pattern matches the path or one of its parent folders. */
	private static boolean ignores(String pattern, String path) {
		String glob = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
		var matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
		for (Path candidate = Path.of(path); candidate != null; candidate = candidate.getParent()) {
			if (matcher.matches(candidate)) {
				return true;
			}
		}
		return false;
	}

	private static Instruction single(List<Instruction> list) {
		assertThat(list).hasSize(1);
		return list.get(0);
	}

	private static String option(String arguments, String prefix) {
		int start = arguments.indexOf(prefix) + prefix.length();
		int end = arguments.indexOf(' ', start);
		return arguments.substring(start, (end < 0) ? arguments.length() : end);
	}

	/** Exec form is a JSON array; SnakeYAML reads it as a flow sequence. */
	static List<String> execForm(String arguments) {
		Object parsed = new Yaml().load(arguments.strip());
		assertThat(parsed).as("exec form %s", arguments).isInstanceOf(List.class);
		return ((List<?>) parsed).stream().map(String::valueOf).toList();
	}

}
