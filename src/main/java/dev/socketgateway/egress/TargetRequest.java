package dev.socketgateway.egress;

import org.jspecify.annotations.Nullable;

/**
 * What a request names: a configured {@code target}, or {@code host} and {@code port}.
 *
 * @param target a named target
 * @param host an ad-hoc host name or IP literal
 * @param port an ad-hoc port
 */
public record TargetRequest(@Nullable String target, @Nullable String host, @Nullable Integer port) {

}
