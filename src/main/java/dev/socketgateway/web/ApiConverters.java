package dev.socketgateway.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.egress.Protocol;

/**
 * Query parameters use the API's spellings ({@code length4}, {@code stx-etx},
 * {@code base64}), as JSON bodies do.
 */
@Configuration(proxyBeanMethods = false)
class ApiConverters implements WebMvcConfigurer {

	@Override
	public void addFormatters(FormatterRegistry registry) {
		registry.addConverter(String.class, Framing.class, Framing::of);
		registry.addConverter(String.class, Encoding.class, Encoding::of);
		registry.addConverter(String.class, Protocol.class, Protocol::of);
	}

}
