package dev.socketgateway.bench;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Registers {@link BenchController} in profile {@code bench} when the context runs from
 * Spring AOT's generated code ({@code -Dspring.aot.enabled=true}, as the container image
 * and bench/run's start-up scenario run): there the controller's {@code @Profile} was
 * evaluated once, at build time, without the profile, while a {@link BeanRegistrar} still
 * runs at run time. Without AOT, component scanning and {@code @Profile} register the
 * controller and the registrar does nothing.
 */
@Configuration(proxyBeanMethods = false)
@Import(BenchRegistration.Registrar.class)
public class BenchRegistration {

	BenchRegistration() {
	}

	/**
	 * The registrar. Public with a public constructor: Spring AOT's generated code, in
	 * package {@code dev.socketgateway}, instantiates it.
	 */
	public static final class Registrar implements BeanRegistrar {

		@Override
		public void register(BeanRegistry registry, Environment env) {
			if (AotDetector.useGeneratedArtifacts() && env.matchesProfiles(BenchController.PROFILE)) {
				registry.registerBean("benchController", BenchController.class);
			}
		}

	}

}
