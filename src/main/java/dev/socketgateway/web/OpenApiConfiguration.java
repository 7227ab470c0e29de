package dev.socketgateway.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The OpenAPI document's title, description and API-key schemes.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static {
		// SSE endpoints document their stream, not Spring's emitter object.
		SpringDocUtils.getConfig()
			.replaceWithSchema(SseEmitter.class, new StringSchema().description(
					"text/event-stream: event 'message' (id = seq, JSON data) per received message, 'closed' at the end"));
	}

	@Bean
	OpenAPI socketGatewayOpenApi() {
		return new OpenAPI()
			.info(new Info().title("socket-gateway")
				.version("v1")
				.description("An HTTP/JSON front door to raw TCP and UDP sockets: one-shot exchanges, datagrams, "
						+ "persistent sessions and listeners. Errors are RFC 9457 problem details with a stable code.")
				.license(new License().name("Apache-2.0")))
			.schemaRequirement("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer"))
			.schemaRequirement("apiKey",
					new SecurityScheme().type(SecurityScheme.Type.APIKEY)
						.in(SecurityScheme.In.HEADER)
						.name("X-API-Key"))
			.addSecurityItem(new SecurityRequirement().addList("bearer"))
			.addSecurityItem(new SecurityRequirement().addList("apiKey"));
	}

}
