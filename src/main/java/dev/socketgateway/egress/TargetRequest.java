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
public record TargetRequest(
		@Schema(description = "Name of a configured target (gateway.targets.<name>); instead of host and port",
				example = "echo-tcp") @Nullable String target,
		@Schema(description = "Host name or IP literal, checked against the egress policy",
				example = "127.0.0.1") @Nullable String host,
		@Schema(description = "TCP or UDP port, 1-65535", example = "9000") @Nullable Integer port) {

}
