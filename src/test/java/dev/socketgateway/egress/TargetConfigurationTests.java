package dev.socketgateway.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

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

	@Test
	void documentedYamlExampleBindsAndBehaves() throws IOException {
		List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("example",
				new ClassPathResource("policy-example.yml", getClass()));
		this.runner.withInitializer((context) -> context.getEnvironment().getPropertySources().addFirst(yaml.get(0)))
			.run((context) -> {
				TargetPolicy policy = context.getBean(TargetPolicy.class);
				assertThat(policy.allowRules()).containsExactly("10.20.0.0/16:5000-5999", "0.0.0.0/0:443",
						"[2001:db8:42::]/48");
				assertThat(policy.check(address("10.20.1.1"), 5999).allowed()).isTrue();
				assertThat(policy.check(address("10.20.3.4"), 5000).allowed()).isFalse();
				assertThat(policy.check(address("93.184.216.34"), 443).allowed()).isTrue();
				assertThat(policy.check(address("127.0.0.1"), 443).allowed()).isFalse();
				assertThat(policy.check(address("2001:db8:42::1"), 22).allowed()).isTrue();
			});
	}

	private static InetAddress address(String literal) {
		return OwnEndpointsTests.address(literal);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(GatewayProperties.class)
	static class PropertiesConfiguration {

	}

}
