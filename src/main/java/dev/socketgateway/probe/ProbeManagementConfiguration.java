package dev.socketgateway.probe;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

import dev.socketgateway.InflightLimiter;
import dev.socketgateway.conversation.ConversationRunner;
import dev.socketgateway.egress.Targets;

/**
 * Serves {@code /probe} in the management context (the management port), as a router
 * function so that the API port never maps it. Listed in
 * {@code META-INF/spring/...ManagementContextConfiguration.imports}; the condition keeps
 * component scanning from registering it in the main context when the management port
 * differs.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@Conditional(ProbeManagementConfiguration.OnManagementContext.class)
class ProbeManagementConfiguration {

	@Bean
	RouterFunction<ServerResponse> probeRoute(ProbeModules modules, ConversationRunner runner, Targets targets,
			InflightLimiter inflight) {
		ProbeEndpoint endpoint = new ProbeEndpoint(modules, runner, targets, inflight);
		return RouterFunctions.route().GET("/probe", endpoint::handle).build();
	}

	/**
	 * True in the management child context, or in the main context when management shares
	 * its port.
	 */
	static class OnManagementContext implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
			if (beanFactory != null && beanFactory.getParentBeanFactory() != null) {
				return true;
			}
			return ManagementPortType.get(context.getEnvironment()) == ManagementPortType.SAME;
		}

	}

}
