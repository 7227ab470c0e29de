package dev.socketgateway.target;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import dev.socketgateway.GatewayProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TargetConfiguration}: the policy is built at start-up, and a bad rule
 * stops the application naming the rule.
 */
class TargetConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class, TargetConfiguration.class);

	@Test
	void buildsThePolicyFromGatewayProperties() {
		this.runner.withPropertyValues("gateway.policy.allow[0]=127.0.0.1/32:9000", "gateway.policy.deny=10.0.0.0/8")
			.run((context) -> {
				TargetPolicy policy = context.getBean(TargetPolicy.class);
				assertThat(policy.allowRules()).containsExactly("127.0.0.1/32:9000");
				assertThat(policy.denyRules()).containsExactly("10.0.0.0/8");
				assertThat(context).getBean(HostResolver.class).isInstanceOf(SystemHostResolver.class);
			});
	}

	@Test
	void badRuleStopsStartUpNamingTheRule() {
		this.runner.withPropertyValues("gateway.policy.allow[0]=127.0.0.1/33").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("gateway.policy.allow[0] '127.0.0.1/33' is not a valid rule: prefix length 33");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(GatewayProperties.class)
	static class PropertiesConfiguration {

	}

}
