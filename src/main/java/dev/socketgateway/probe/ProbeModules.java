package dev.socketgateway.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.re2j.Pattern;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.stereotype.Component;

import dev.socketgateway.GatewayException;
import dev.socketgateway.conversation.Conversation;
import dev.socketgateway.conversation.ConversationCompiler;
import dev.socketgateway.conversation.ConversationPlan.Action;
import dev.socketgateway.conversation.ConversationPlan.FrameMatcher;
import dev.socketgateway.conversation.ConversationPlan.MatchKind;
import dev.socketgateway.conversation.ConversationPlan.Step;
import dev.socketgateway.egress.Protocol;
import dev.socketgateway.egress.TargetRequest;
import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Framing;

/**
 * The modules {@code /probe} serves: {@code gateway.probe-modules.<name>} and the
 * {@code tcp} modules of a blackbox_exporter file ({@code gateway.probe-modules-file}),
 * whose {@code query_response} runs with blackbox_exporter's own semantics.
 */
@Component
class ProbeModules {

	private static final Log logger = LogFactory.getLog(ProbeModules.class);

	private final Map<String, ProbeModule> modules = new TreeMap<>();

	private final Map<String, String> unserved = new TreeMap<>();

	ProbeModules(ProbeProperties properties, ConversationCompiler compiler) {
		if (properties.probeModulesFile() != null && !properties.probeModulesFile().isBlank()) {
			loadFile(Path.of(properties.probeModulesFile()));
		}
		properties.probeModules().forEach((name, definition) -> {
			String prefix = "gateway.probe-modules." + name;
			if (definition.target() != null || definition.host() != null || definition.port() != null) {
				throw new IllegalStateException(prefix + ": a module has no target; /probe?target= gives it");
			}
			try {
				int timeoutMs = (int) Math.min(ConversationCompiler.MAX_TIMEOUT_MS, definition.timeout().toMillis());
				Conversation conversation = compiler.compile(definition.toRequest(),
						(definition.timeoutMs() != null) ? definition.timeoutMs() : timeoutMs);
				this.modules.put(name, new ProbeModule(name, conversation, Duration.ofMillis(conversation.timeoutMs()),
						"gateway.probe-modules"));
			}
			catch (GatewayException | IllegalArgumentException ex) {
				throw new IllegalStateException(prefix + ": " + ex.getMessage(), ex);
			}
		});
	}

	/**
	 * A module by name.
	 * @param name the name
	 * @return the module
	 * @throws GatewayException 400 naming {@code module} when there is none
	 */
	ProbeModule get(@Nullable String name) {
		if (name == null || name.isEmpty()) {
			throw GatewayException.invalidField("module", "is required: /probe?module=NAME&target=HOST:PORT");
		}
		ProbeModule module = this.modules.get(name);
		if (module == null) {
			String why = this.unserved.get(name);
			throw GatewayException.invalidField("module", (why != null) ? why
					: "no module named '" + name + "'; configured: " + String.join(", ", this.modules.keySet()));
		}
		return module;
	}

	@SuppressWarnings("unchecked")
	private void loadFile(Path file) {
		Map<String, Object> root;
		try (InputStream in = Files.newInputStream(file)) {
			Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
			root = (loaded instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException(
					"gateway.probe-modules-file: cannot read " + file + " as YAML: " + ex.getMessage(), ex);
		}
		Object modules = root.get("modules");
		if (!(modules instanceof Map<?, ?> map)) {
			throw new IllegalStateException("gateway.probe-modules-file: " + file + " has no 'modules' map");
		}
		map.forEach((name, module) -> {
			String where = "gateway.probe-modules-file " + file + ", module " + name;
			Map<String, Object> definition = (module instanceof Map<?, ?> m) ? (Map<String, Object>) m : Map.of();
			String prober = String.valueOf(definition.get("prober"));
			if (!"tcp".equals(prober)) {
				this.unserved.put(String.valueOf(name), "module '" + name + "' is a " + prober
						+ " module; the gateway serves the tcp modules of " + file.getFileName());
				return;
			}
			try {
				this.modules.put(String.valueOf(name), blackbox(String.valueOf(name), definition));
			}
			catch (IllegalArgumentException | ClassCastException ex) {
				throw new IllegalStateException(where + ": " + ex.getMessage(), ex);
			}
		});
	}

	@SuppressWarnings("unchecked")
	private static ProbeModule blackbox(String name, Map<String, Object> definition) {
		Duration timeout = (definition.get("timeout") != null) ? goDuration(String.valueOf(definition.get("timeout")))
				: Duration.ofSeconds(10);
		Map<String, Object> tcp = (definition.get("tcp") instanceof Map<?, ?> m) ? (Map<String, Object>) m : Map.of();
		boolean tls = Boolean.TRUE.equals(tcp.get("tls"));
		if (tcp.get("tls_config") instanceof Map<?, ?> tlsConfig) {
			if (Boolean.TRUE.equals(tlsConfig.get("insecure_skip_verify"))) {
				throw new IllegalArgumentException(
						"tls_config.insecure_skip_verify is refused: the gateway always verifies certificates (trust a CA with gateway.tls.client-bundle)");
			}
			for (Object key : tlsConfig.keySet()) {
				if (!"insecure_skip_verify".equals(key)) {
					throw new IllegalArgumentException("tls_config." + key
							+ " is not supported: the gateway's TLS trust comes from gateway.tls.client-bundle");
				}
			}
		}
		for (String ignored : new String[] { "preferred_ip_protocol", "ip_protocol_fallback", "source_ip_address" }) {
			if (tcp.containsKey(ignored)) {
				logger.warn("Probe module " + name + ": tcp." + ignored
						+ " is ignored (the egress policy picks the addresses)");
			}
		}
		List<Step> steps = new ArrayList<>();
		Object entries = tcp.get("query_response");
		if (entries instanceof List<?> list) {
			for (Object entry : list) {
				Map<String, Object> qr = (entry instanceof Map<?, ?> m) ? (Map<String, Object>) m : Map.of();
				// blackbox_exporter's order within one entry: expect, expect_bytes, send,
				// starttls
				if (qr.get("expect") != null) {
					String regex = String.valueOf(qr.get("expect"));
					Pattern pattern;
					try {
						pattern = Pattern.compile(regex);
					}
					catch (RuntimeException ex) {
						throw new IllegalArgumentException("expect '" + regex + "' is not an RE2 regex", ex);
					}
					steps.add(new Step(steps.size(), null, Action.EXPECT, null, Encoding.UTF8,
							new FrameMatcher(MatchKind.REGEX, regex, pattern), null, false, null, 0, null));
				}
				if (qr.get("expect_bytes") != null) {
					byte[] bytes = String.valueOf(qr.get("expect_bytes"))
						.getBytes(java.nio.charset.StandardCharsets.UTF_8);
					steps.add(new Step(steps.size(), null, Action.EXPECT_BYTES, null, Encoding.UTF8, null, null, false,
							null, 0, bytes));
				}
				if (qr.get("send") != null && !String.valueOf(qr.get("send")).isEmpty()) {
					steps.add(new Step(steps.size(), null, Action.SEND, String.valueOf(qr.get("send")), Encoding.UTF8,
							null, null, false, null, 0, null));
				}
				if (Boolean.TRUE.equals(qr.get("starttls"))) {
					steps.add(new Step(steps.size(), null, Action.STARTTLS, null, Encoding.UTF8, null, null, false,
							null, 0, null));
				}
				for (Object key : qr.keySet()) {
					if (!List.of("expect", "expect_bytes", "send", "starttls", "labels").contains(key)) {
						throw new IllegalArgumentException("query_response." + key + " is not supported");
					}
				}
			}
		}
		int timeoutMs = (int) Math.max(1, Math.min(ConversationCompiler.MAX_TIMEOUT_MS, timeout.toMillis()));
		Conversation conversation = new Conversation(Protocol.TCP, new TargetRequest(null, null, null), Framing.LF,
				Framing.LF, tls, Encoding.UTF8, timeoutMs, timeoutMs, Map.of(), List.copyOf(steps),
				Conversation.Dialect.BLACKBOX);
		return new ProbeModule(name, conversation, timeout, "blackbox");
	}

	/**
	 * Go's {@code time.ParseDuration} for the units a config uses: {@code 5s},
	 * {@code 1m30s}, {@code 500ms}, {@code 1.5s}.
	 * @param text the duration
	 * @return the duration
	 */
	static Duration goDuration(String text) {
		com.google.re2j.Matcher parts = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)").matcher(text);
		long nanos = 0;
		int end = 0;
		while (parts.find() && parts.start() == end) {
			double value = Double.parseDouble(parts.group(1));
			long unit = switch (parts.group(2)) {
				case "ms" -> 1_000_000L;
				case "s" -> 1_000_000_000L;
				case "m" -> 60_000_000_000L;
				default -> 3_600_000_000_000L;
			};
			nanos += (long) (value * unit);
			end = parts.end();
		}
		if (end == 0 || end != text.length()) {
			throw new IllegalArgumentException("timeout '" + text + "' is not a duration such as 5s or 1m30s");
		}
		return Duration.ofNanos(nanos);
	}

}
