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
		@Schema(description = "a configured target's name, instead of host and port") @Nullable String target,
		@Schema(description = "ad-hoc host name or IP literal") @Nullable String host,
		@Schema(description = "ad-hoc port") @Nullable Integer port) {

}
