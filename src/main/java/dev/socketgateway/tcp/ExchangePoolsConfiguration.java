package dev.socketgateway.tcp;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.integration.dsl.context.IntegrationFlowContext;

import dev.socketgateway.GatewayProperties;
import dev.socketgateway.SocketExecutors;
import dev.socketgateway.metrics.GatewayMetrics;

/**
 * The pool engine, chosen from {@code gateway.pool.engine} when the bean is created. One
 * factory method instead of a {@code @ConditionalOnProperty} per engine: with Spring AOT
 * ({@code -Dspring.aot.enabled=true}, as the container image runs) conditions are
 * evaluated once at build time, so the property set at run time (Helm values, env) would
 * be ignored.
 */
@Configuration(proxyBeanMethods = false)
class ExchangePoolsConfiguration {

	@Bean
	ExchangePools exchangePools(GatewayProperties properties, GatewayMetrics metrics, IntegrationFlowContext flows,
			@Qualifier(SocketExecutors.SOCKET_EXECUTOR) TaskExecutor executor, ApplicationEventPublisher publisher) {
		return switch (properties.pool().engine()) {
			case "direct" -> new DirectPools(metrics, properties);
			case "integration" -> new UpstreamPools(flows, metrics, executor, publisher, properties);
			default -> throw new IllegalStateException(
					"gateway.pool.engine must be integration or direct, not " + properties.pool().engine());
		};
	}

}
