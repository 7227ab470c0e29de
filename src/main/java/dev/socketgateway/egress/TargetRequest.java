package dev.socketgateway.egress;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * What a request names: a configured {@code target}, or {@code host} and {@code port}.
 *
 * @param target a named target
 * @param host an ad-hoc host name or IP literal
 * @param port an ad-hoc port
 */
public record TargetRequest(@Schema(
		description = "Name of a configured target (gateway.targets.<name>); use instead of host and port") @Nullable String target,
		@Schema(description = "Host name or IP literal of an ad-hoc target; must pass gateway.policy") @Nullable String host,
		@Schema(description = "Port of an ad-hoc target") @Nullable Integer port) {

}
