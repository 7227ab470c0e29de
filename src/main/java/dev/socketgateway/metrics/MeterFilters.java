package dev.socketgateway.metrics;

import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Meters the gateway does not publish.
 */
@Configuration(proxyBeanMethods = false)
class MeterFilters {

	/**
	 * Spring Integration's own meters off. It times every send through its internal
	 * channels and handlers ({@code spring_integration_send_seconds}, named after
	 * generated beans such as a listener flow's {@code channel#0}): nothing an operator
	 * can act on, and two timer lookups per session or listener message. The gateway's
	 * own meters count that traffic.
	 * @return the filter
	 */
	@Bean
	MeterFilter noSpringIntegrationMeters() {
		return MeterFilter.denyNameStartsWith("spring.integration.");
	}

}
