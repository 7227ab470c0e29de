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
public record TargetRequest(@Schema(description = "a named target") @Nullable String target,
		@Schema(description = "an ad-hoc host name or IP literal") @Nullable String host,
		@Schema(description = "an ad-hoc port") @Nullable Integer port) {

}
