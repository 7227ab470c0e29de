package dev.socketgateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import dev.socketgateway.payload.FramingSpec;

/**
 * Every {@code gateway.*} property, bound once at start-up.
 *
 * @param targets named targets, always allowed
 * @param policy allow and deny rules for ad-hoc targets
 * @param security API keys
 * @param timeouts default timeouts
 * @param limits resource limits
 * @param pool pooled one-shot connections
 * @param listeners where listeners may bind
 * @param demo ports of the demo-profile echo services
 * @param tls SSL bundle names for upstream TLS and TLS listeners
 */
@Validated
@ConfigurationProperties("gateway")
public record GatewayProperties(@DefaultValue Map<String, @Valid TargetProperties> targets,
		@DefaultValue @Valid Policy policy, @DefaultValue @Valid Security security,
		@DefaultValue @Valid Timeouts timeouts, @DefaultValue @Valid Limits limits, @DefaultValue @Valid Pool pool,
		@DefaultValue @Valid Listeners listeners, @DefaultValue @Valid Demo demo, @DefaultValue @Valid Tls tls) {

	/**
	 * A named target.
	 *
	 * @param host host name or IP literal
	 * @param port port
	 * @param protocol {@code tcp} or {@code udp}
	 * @param framing default framing for TCP (a request may override it): a preset name
	 * or an object's members
	 * @param sendFraming how payloads are written when it differs from {@code framing}
	 * @param tls whether TCP connections use TLS (a request cannot switch it off)
	 * @param tlsBundle SSL bundle whose trust material verifies this target
	 * @param pool whether one-shot exchanges may use pooled connections ({@code false}: a
	 * fresh connection per exchange, closed afterwards)
	 */
	public record TargetProperties(@NotBlank String host, @Min(1) @Max(65535) int port,
			@DefaultValue("tcp") String protocol, @Nullable FramingSpec framing, @DefaultValue("false") boolean tls,
			@Nullable String tlsBundle, @Nullable FramingSpec sendFraming, @DefaultValue("true") boolean pool) {
	}

	/**
	 * Egress policy for ad-hoc targets; deny wins, default deny.
	 *
	 * @param allow rules {@code CIDR}, {@code CIDR:port} or {@code CIDR:low-high}
	 * @param deny rules in the same form
	 */
	public record Policy(@DefaultValue List<String> allow, @DefaultValue List<String> deny) {
	}

	/**
	 * API keys.
	 *
	 * @param apiKeys {@code key} or {@code id:key}; empty leaves the API open
	 */
	public record Security(@DefaultValue List<String> apiKeys) {
	}

	/**
	 * Default timeouts.
	 *
	 * @param connect TCP connect timeout
	 * @param reply TCP reply deadline
	 * @param udpReply UDP reply deadline
	 */
	public record Timeouts(@DefaultValue("5s") Duration connect, @DefaultValue("10s") Duration reply,
			@DefaultValue("2s") Duration udpReply) {
	}

	/**
	 * Resource limits.
	 *
	 * @param maxPayloadBytes largest decoded payload of any send
	 * @param maxFrameBytes largest incoming frame
	 * @param maxConnections most open sessions
	 * @param maxInflightExchanges most one-shot exchanges and datagrams in flight
	 * @param maxListeners most listeners
	 * @param maxListenerClients most clients per TCP listener
	 * @param maxBufferedMessages received messages kept per session or listener
	 * @param maxBufferedBytes received bytes kept per session or listener
	 * @param maxBufferMemory received bytes kept by all buffers together (default a
	 * quarter of the heap)
	 * @param connectionIdleTimeout sessions idle this long are closed
	 * @param closedRetention closed sessions and listeners stay readable this long
	 */
	public record Limits(@DefaultValue("1MB") DataSize maxPayloadBytes, @DefaultValue("1MB") DataSize maxFrameBytes,
			@DefaultValue("10000") @Min(1) int maxConnections, @DefaultValue("1024") @Min(1) int maxInflightExchanges,
			@DefaultValue("32") @Min(0) int maxListeners, @DefaultValue("1000") @Min(1) int maxListenerClients,
			@DefaultValue("1000") @Min(1) int maxBufferedMessages, @DefaultValue("16MB") DataSize maxBufferedBytes,
			@Nullable DataSize maxBufferMemory, @DefaultValue("10m") @NotNull Duration connectionIdleTimeout,
			@DefaultValue("5m") @NotNull Duration closedRetention) {

		/**
		 * Largest decoded payload as an int.
		 * @return bytes
		 */
		public int payloadLimit() {
			return (int) Math.min(Integer.MAX_VALUE, this.maxPayloadBytes.toBytes());
		}

		/**
		 * Largest incoming frame as an int.
		 * @return bytes
		 */
		public int frameLimit() {
			return (int) Math.min(Integer.MAX_VALUE, this.maxFrameBytes.toBytes());
		}

	}

	/**
	 * Pooled one-shot connections.
	 *
	 * @param maxPerTarget most connections per pool key
	 * @param idleTimeout idle pooled connections (and idle pools) are closed after this
	 * @param evictionInterval how often idle connections and pools are looked for
	 */
	public record Pool(@DefaultValue("16") @Min(1) int maxPerTarget, @DefaultValue("60s") Duration idleTimeout,
			@DefaultValue("5s") @NotNull Duration evictionInterval) {
	}

	/**
	 * Where listeners may bind.
	 *
	 * @param allowedPorts ports and ranges ({@code 10000-10999}, {@code 0})
	 * @param allowedBindAddresses addresses listeners may bind
	 */
	public record Listeners(@DefaultValue( {
			"10000-10999", "0" }) List<String> allowedPorts,
			@DefaultValue("127.0.0.1") List<String> allowedBindAddresses){
	}

	/**
	 * Demo echo services (profile {@code demo}).
	 *
	 * @param tcpPort TCP line-echo port
	 * @param udpPort UDP echo port
	 */
	public record Demo(@DefaultValue("9000") int tcpPort, @DefaultValue("9001") int udpPort) {
	}

	/**
	 * TLS bundles.
	 *
	 * @param clientBundle trust material for upstream TLS (JDK trust store when unset)
	 * @param serverBundle key and certificate served by TLS listeners
	 */
	public record Tls(@Nullable String clientBundle, @Nullable String serverBundle) {
	}

}
