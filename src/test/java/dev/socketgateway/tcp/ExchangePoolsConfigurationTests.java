package dev.socketgateway.tcp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.integration.dsl.context.IntegrationFlowContext;

import dev.socketgateway.GatewayProperties;
import dev.socketgateway.SocketExecutors;
import dev.socketgateway.metrics.GatewayMetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link ExchangePoolsConfiguration}: the engine follows
 * {@code gateway.pool.engine} as bound when the bean is created, not a bean condition
 * (which Spring AOT would have fixed at build time).
 */
class ExchangePoolsConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Infrastructure.class, ExchangePoolsConfiguration.class);

	@Test
	void integrationEngineByDefault() {
		this.runner
			.run((context) -> assertThat(context).getBean(ExchangePools.class).isInstanceOf(UpstreamPools.class));
	}

	@Test
	void integrationEngineWhenNamed() {
		this.runner.withPropertyValues("gateway.pool.engine=integration")
			.run((context) -> assertThat(context).getBean(ExchangePools.class).isInstanceOf(UpstreamPools.class));
	}

	@Test
	void directEngineWhenNamed() {
		this.runner.withPropertyValues("gateway.pool.engine=direct")
			.run((context) -> assertThat(context).getBean(ExchangePools.class).isInstanceOf(DirectPools.class));
	}

	@Test
	void unknownEngineStopsStartUp() {
		this.runner.withPropertyValues("gateway.pool.engine=nio").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("must be integration or direct");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(GatewayProperties.class)
	static class Infrastructure {

		@Bean
		GatewayMetrics gatewayMetrics() {
			return new GatewayMetrics(new SimpleMeterRegistry());
		}

		@Bean
		IntegrationFlowContext integrationFlowContext() {
			return mock(IntegrationFlowContext.class);
		}

		@Bean(SocketExecutors.SOCKET_EXECUTOR)
		TaskExecutor socketTaskExecutor() {
			return new SyncTaskExecutor();
		}

	}

}
