package dev.socketgateway.web;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.socketgateway.payload.Framing;

/**
 * The OpenAPI document's title, description, API-key schemes, and its groups named for
 * people rather than after controller classes.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	/**
	 * Swagger UI's groups, in the order it shows them: path prefix → tag. One table here
	 * rather than {@code @Tag} on each controller, so that features landing later get
	 * their group without touching their controllers.
	 */
	static final List<Map.Entry<String, Tag>> TAGS = List.of(
			group("/api/v1/tcp/exchange", "TCP exchange",
					"One request, one reply: connect, send a framed message, read the framed reply, in one HTTP call."),
			group("/api/v1/tcp/connections", "Sessions",
					"Persistent TCP connections: open, send, read or stream what arrives, close."),
			group("/api/v1/listeners", "Listeners",
					"TCP and UDP servers on the gateway: capture, echo or answer by rules; read what clients send "
							+ "and reply to them."),
			group("/api/v1/udp", "UDP", "Send datagrams, and wait for the reply when there is one."),
			group("/api/v1/conversations", "Conversations",
					"Several send and expect steps over one connection, in one call."),
			group("/api/v1/probes", "Probes", "Conversations on a schedule: their last run, run history and meters."));

	private static Map.Entry<String, Tag> group(String prefix, String name, String description) {
		return Map.entry(prefix, new Tag().name(name).description(description));
	}

	/**
	 * Puts every operation under a known prefix in its group, and lists the groups (with
	 * their descriptions) first, in the table's order.
	 * @return the customizer
	 */
	@Bean
	OpenApiCustomizer peopleNamedTags() {
		return (openApi) -> {
			if (openApi.getPaths() == null) {
				return;
			}
			Set<String> used = new HashSet<>();
			openApi.getPaths().forEach((path, item) -> {
				for (Map.Entry<String, Tag> group : TAGS) {
					if (path.equals(group.getKey()) || path.startsWith(group.getKey() + "/")) {
						String name = group.getValue().getName();
						item.readOperations().forEach((operation) -> operation.setTags(List.of(name)));
						used.add(name);
					}
				}
			});
			Set<String> stillTagged = new HashSet<>();
			openApi.getPaths()
				.values()
				.forEach((item) -> item.readOperations()
					.forEach((operation) -> stillTagged
						.addAll((operation.getTags() != null) ? operation.getTags() : List.of())));
			List<Tag> tags = new ArrayList<>();
			TAGS.stream().map(Map.Entry::getValue).filter((tag) -> used.contains(tag.getName())).forEach(tags::add);
			if (openApi.getTags() != null) {
				openApi.getTags()
					.stream()
					.filter((tag) -> stillTagged.contains(tag.getName()) && !used.contains(tag.getName()))
					.forEach(tags::add);
			}
			openApi.setTags(tags);
		};
	}

	static {
		// SSE endpoints document their stream, not Spring's emitter object.
		SpringDocUtils.getConfig()
			.replaceWithSchema(SseEmitter.class, new StringSchema().description(
					"text/event-stream: event 'message' (id = seq, JSON data) per received message, 'closed' at the end"));
		SpringDocUtils.getConfig().replaceWithSchema(Framing.class, framingSchema());
	}

	/**
	 * A framing is a preset name or an object whose {@code type} picks the kind.
	 */
	static Schema<?> framingSchema() {
		StringSchema preset = new StringSchema();
		preset.setEnum(Framing.presets().stream().map(Framing::value).toList());
		preset.description("A preset: crlf (default), lf, nul, stx-etx, length1/2/4, raw, resp (Redis), reply-code "
				+ "(SMTP/FTP), http, mqtt, postgres, modbus, syslog-octet, dns-tcp, kafka");
		ObjectSchema delimiter = kind("delimiter", "Ends at the first of 1-8 sequences; the first is appended on send");
		delimiter.addProperty("delimiters",
				new ArraySchema().items(new StringSchema())
					.minItems(1)
					.maxItems(8)
					.description("1 to 8 sequences of 1-64 bytes"));
		delimiter.addProperty("delimiterEncoding",
				enumeration("How delimiters are spelled (default utf8)", "utf8", "hex"));
		delimiter.required(List.of("type", "delimiters"));
		ObjectSchema length = kind("length",
				"Netty's LengthFieldBasedFrameDecoder rule: the frame is offset + size + value + adjust bytes");
		length.addProperty("offset", integer("Bytes before the length field (default 0)"));
		length.addProperty("size", new IntegerSchema()._enum(List.of(1, 2, 3, 4, 8)).description("Field bytes"));
		length.addProperty("order", enumeration("Byte order (default big)", "big", "little"));
		length.addProperty("adjust", integer("Added to the field's value (default 0)"));
		length.addProperty("strip", integer("Leading bytes removed from the payload (default size when offset is 0)"));
		length.required(List.of("type", "size"));
		ObjectSchema varint = kind("varint",
				"As length, with a 7-bit-group varint of at most 4 bytes (MQTT, protobuf)");
		varint.addProperty("offset", integer("Bytes before the varint (default 0)"));
		varint.addProperty("adjust", integer("Added to the varint's value (default 0)"));
		varint.addProperty("strip", integer("Leading bytes removed (default the varint when offset is 0)"));
		ObjectSchema lines = kind("lines", "Lines up to and including the first whose text matches an RE2 regex");
		lines.addProperty("until", new StringSchema().description("RE2 regex (linear time, no backtracking)"));
		lines.addProperty("eol", enumeration("End of line (default crlf)", "crlf", "lf"));
		lines.required(List.of("type", "until"));
		ObjectSchema fixed = kind("fixed", "Exactly size bytes");
		fixed.addProperty("size", integer("Bytes per frame"));
		fixed.required(List.of("type", "size"));
		ComposedSchema framing = new ComposedSchema();
		framing.oneOf(List.of(preset, delimiter, length, varint, lines, fixed));
		framing.description("Where a message ends on the wire: a preset name, or an object whose type picks the kind "
				+ "(see docs/framing.md)");
		return framing;
	}

	private static ObjectSchema kind(String type, String description) {
		ObjectSchema schema = new ObjectSchema();
		schema.addProperty("type", enumeration("The kind", type));
		schema.description(description);
		schema.additionalProperties(false);
		return schema;
	}

	private static Schema<?> enumeration(String description, String... values) {
		StringSchema schema = new StringSchema();
		schema.setEnum(List.of(values));
		return schema.description(description);
	}

	private static Schema<?> integer(String description) {
		return new IntegerSchema().description(description);
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
