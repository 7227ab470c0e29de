package dev.socketgateway.support;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.socketgateway.GatewayProperties;

/**
 * {@link GatewayProperties} bound as Spring Boot binds them, from {@code name=value}
 * lines, with every default the record declares: for unit tests that build a component
 * without a context.
 */
public final class GatewayPropertiesFixture {

	private GatewayPropertiesFixture() {
	}

	/**
	 * Binds the given properties.
	 * @param properties lines such as {@code gateway.policy.allow[0]=127.0.0.1/32}
	 * @return the bound properties
	 */
	public static GatewayProperties bind(String... properties) {
		Map<String, String> map = new LinkedHashMap<>();
		for (String property : properties) {
			int equals = property.indexOf('=');
			map.put(property.substring(0, equals), property.substring(equals + 1));
		}
		return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("gateway", GatewayProperties.class);
	}

}
