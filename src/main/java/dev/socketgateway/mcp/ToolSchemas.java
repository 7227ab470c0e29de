package dev.socketgateway.mcp;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON Schemas of tool inputs, read from the REST request records (their fields, their
 * OpenAPI descriptions and their Bean Validation bounds), so a tool takes exactly what
 * its REST twin's body takes.
 */
final class ToolSchemas {

	private final JsonMapper mapper;

	ToolSchemas(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * A schema builder starting from a request record's fields.
	 * @param body the REST body's record
	 * @return the builder
	 */
	Builder of(Class<? extends Record> body) {
		Builder builder = new Builder();
		for (RecordComponent component : body.getRecordComponents()) {
			// the accessor carries the annotations: @Schema, @Min and @NotNull do not
			// target
			// record components
			AnnotatedElement accessor = component.getAccessor();
			Schema schema = accessor.getAnnotation(Schema.class);
			String description = (schema != null) ? schema.description() : "";
			Map<String, Object> property = type(component.getType());
			bounds(accessor, property);
			builder.property(component.getName(), property, description,
					accessor.isAnnotationPresent(NotNull.class) || accessor.isAnnotationPresent(NotBlank.class));
		}
		return builder;
	}

	Builder empty() {
		return new Builder();
	}

	Map<String, Object> type(Class<?> type) {
		Map<String, Object> property = new LinkedHashMap<>();
		if (type == String.class) {
			property.put("type", "string");
		}
		else if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			property.put("type", "integer");
		}
		else if (type == Boolean.class || type == boolean.class) {
			property.put("type", "boolean");
		}
		else if (type.isEnum()) {
			property.put("type", "string");
			List<String> values = new ArrayList<>();
			for (Object constant : type.getEnumConstants()) {
				// the JSON spelling (@JsonValue), as the REST body takes it
				values.add(this.mapper.convertValue(constant, String.class));
			}
			property.put("enum", values);
		}
		else {
			throw new IllegalArgumentException("no JSON Schema type for " + type);
		}
		return property;
	}

	private static void bounds(AnnotatedElement element, Map<String, Object> property) {
		Min min = element.getAnnotation(Min.class);
		if (min != null) {
			property.put("minimum", min.value());
		}
		Max max = element.getAnnotation(Max.class);
		if (max != null) {
			property.put("maximum", max.value());
		}
	}

	/**
	 * An object schema under construction.
	 */
	final class Builder {

		private final Map<String, Object> properties = new LinkedHashMap<>();

		private final List<String> required = new ArrayList<>();

		private Builder() {
		}

		Builder property(String name, Map<String, Object> property, String description, boolean required) {
			Map<String, Object> copy = new LinkedHashMap<>(property);
			if (!description.isEmpty()) {
				copy.put("description", description);
			}
			this.properties.put(name, copy);
			if (required && !this.required.contains(name)) {
				this.required.add(name);
			}
			return this;
		}

		Builder property(String name, Class<?> type, String description, boolean required) {
			return property(name, type(type), description, required);
		}

		/**
		 * Replaces a field's description with one an agent can act on.
		 * @param name the field
		 * @param description the description
		 * @return this builder
		 */
		Builder describe(String name, String description) {
			@SuppressWarnings("unchecked")
			Map<String, Object> property = (Map<String, Object>) this.properties.get(name);
			if (property == null) {
				throw new IllegalArgumentException("no field " + name);
			}
			property.put("description", description);
			return this;
		}

		Map<String, Object> build() {
			Map<String, Object> schema = new LinkedHashMap<>();
			schema.put("type", "object");
			schema.put("properties", this.properties);
			if (!this.required.isEmpty()) {
				schema.put("required", this.required);
			}
			schema.put("additionalProperties", false);
			return schema;
		}

	}

}
