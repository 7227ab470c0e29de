package dev.socketgateway.demo;

import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DemoEchoServices.Registrar}: the echo services are registered from the
 * profiles active when the registrar runs (at start-up, with or without Spring AOT).
 */
class DemoEchoServicesRegistrarTests {

	private static final String[] BEANS = { "demoTcpServer", "demoTcpEcho", "demoUdpInbound", "demoUdpEcho",
			"demoEchoHealthIndicator" };

	@Test
	void registersTheEchoServicesInProfileDemo() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.getEnvironment().setActiveProfiles("demo");
			context.register(new DemoEchoServices.Registrar());
			assertThat(context.getBeanDefinitionNames()).contains(BEANS);
		}
	}

	@Test
	void registersNothingWithoutProfileDemo() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.getEnvironment().setActiveProfiles("bench");
			context.register(new DemoEchoServices.Registrar());
			assertThat(context.getBeanDefinitionNames()).doesNotContainAnyElementsOf(java.util.List.of(BEANS));
		}
	}

}
