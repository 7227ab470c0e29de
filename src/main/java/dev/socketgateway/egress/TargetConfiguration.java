package dev.socketgateway.egress;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.socketgateway.GatewayProperties;

/**
 * The egress policy, built once from {@code gateway.policy}, and the default host
 * resolver.
 */
@Configuration(proxyBeanMethods = false)
class TargetConfiguration {

	private static final Log logger = LogFactory.getLog(TargetConfiguration.class);

	@Bean
	TargetPolicy targetPolicy(GatewayProperties properties) {
		TargetPolicy policy = TargetPolicy.of(properties.policy().allow(), properties.policy().deny());
		if (policy.allowRules().isEmpty()) {
			logger.info("No gateway.policy.allow rules: only configured targets can be reached");
		}
		else {
			logger.info("Ad-hoc targets allowed by " + policy.allowRules() + ", denied by " + policy.denyRules());
		}
		return policy;
	}

	@Bean
	HostResolver hostResolver() {
		return new SystemHostResolver();
	}

}
