package dev.socketgateway.probe;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.socketgateway.conversation.ConversationRequest;
import dev.socketgateway.conversation.ConversationStep;
import dev.socketgateway.egress.Protocol;
import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Framing;

/**
 * The probes' part of the {@code gateway.*} properties (kept apart from
 * {@code GatewayProperties} so that the feature stays in one folder).
 *
 * @param probes scheduled probes by name
 * @param probeModules modules for {@code /probe} by name
 * @param probeModulesFile a blackbox_exporter configuration file whose tcp modules
 * {@code /probe} serves too
 * @param limits the probe limits
 */
@ConfigurationProperties("gateway")
public record ProbeProperties(@DefaultValue Map<String, ConversationProperties> probes,
		@DefaultValue Map<String, ConversationProperties> probeModules, @Nullable String probeModulesFile,
		@DefaultValue ProbeLimits limits) {

	/**
	 * Probe limits under {@code gateway.limits}.
	 *
	 * @param maxProbes most probes
	 * @param probeHistory runs kept per probe
	 */
	public record ProbeLimits(@DefaultValue("100") int maxProbes, @DefaultValue("100") int probeHistory) {
	}

	/**
	 * A conversation in YAML: a probe (with its target and {@code interval}) or a module
	 * (without target, with {@code timeout}).
	 *
	 * @param interval how often a probe runs
	 * @param timeout a module's deadline
	 * @param protocol tcp or udp
	 * @param target a named target
	 * @param host an ad-hoc host
	 * @param port an ad-hoc port
	 * @param framing the framing
	 * @param sendFraming the framing of sends
	 * @param tls connect with TLS
	 * @param encoding the steps' default encoding
	 * @param connectTimeoutMs connect timeout
	 * @param timeoutMs a probe's conversation deadline
	 * @param vars initial variables
	 * @param steps the steps
	 */
	public record ConversationProperties(@DefaultValue("30s") String interval, @DefaultValue("10s") Duration timeout,
			@Nullable String protocol, @Nullable String target, @Nullable String host, @Nullable Integer port,
			@Nullable String framing, @Nullable String sendFraming, @Nullable Boolean tls, @Nullable Encoding encoding,
			@Nullable Integer connectTimeoutMs, @Nullable Integer timeoutMs, @DefaultValue Map<String, String> vars,
			@DefaultValue List<ConversationStep> steps) {

		ConversationRequest toRequest() {
			return new ConversationRequest((this.protocol != null) ? Protocol.of(this.protocol) : null, this.target,
					this.host, this.port, (this.framing != null) ? Framing.of(this.framing) : null,
					(this.sendFraming != null) ? Framing.of(this.sendFraming) : null, this.tls, this.encoding,
					this.connectTimeoutMs, this.timeoutMs, this.vars, this.steps);
		}

	}

}
