package dev.socketgateway.mcp;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
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
		fields(body, builder, 0);
		return builder;
	}

	Builder empty() {
		return new Builder();
	}

	private void fields(Class<?> record, Builder builder, int depth) {
		for (RecordComponent component : record.getRecordComponents()) {
			// the accessor carries the annotations: @Schema, @Min and @NotNull do not
			// target record components
			AnnotatedElement accessor = component.getAccessor();
			Schema schema = accessor.getAnnotation(Schema.class);
			String description = (schema != null) ? schema.description() : "";
			Map<String, Object> property = schema(component.getGenericType(), depth + 1);
			bounds(accessor, property);
			builder.property(component.getName(), property, description,
					accessor.isAnnotationPresent(NotNull.class) || accessor.isAnnotationPresent(NotBlank.class));
		}
	}

	Map<String, Object> type(Class<?> type) {
		return schema(type, 0);
	}

	/**
	 * The JSON Schema of a field's Java type: nested records are objects, lists arrays.
	 * @param type the type
	 * @param depth how deep in nested records
	 * @return the schema; an unconstrained one for a type it does not know
	 */
	private Map<String, Object> schema(Type type, int depth) {
		Map<String, Object> property = new LinkedHashMap<>();
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw
				&& Collection.class.isAssignableFrom(raw)) {
			property.put("type", "array");
			property.put("items", schema(parameterized.getActualTypeArguments()[0], depth + 1));
			return property;
		}
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw
				&& Map.class.isAssignableFrom(raw)) {
			property.put("type", "object");
			property.put("additionalProperties", schema(parameterized.getActualTypeArguments()[1], depth + 1));
			return property;
		}
		if (!(type instanceof Class<?> cls)) {
			return property;
		}
		if (cls == String.class) {
			property.put("type", "string");
		}
		else if (cls == Integer.class || cls == int.class || cls == Long.class || cls == long.class) {
			property.put("type", "integer");
		}
		else if (cls == Double.class || cls == double.class || cls == Float.class || cls == float.class) {
			property.put("type", "number");
		}
		else if (cls == Boolean.class || cls == boolean.class) {
			property.put("type", "boolean");
		}
		else if (cls.isEnum()) {
			property.put("type", "string");
			List<String> values = new ArrayList<>();
			for (Object constant : cls.getEnumConstants()) {
				// the JSON spelling (@JsonValue), as the REST body takes it
				values.add(this.mapper.convertValue(constant, String.class));
			}
			property.put("enum", values);
		}
		else if (!cls.isRecord() && delegatingCreator(cls) != null) {
			// a value type read from a string or an object (Framing): its named constants
			// are the strings' examples
			Map<String, Object> text = new LinkedHashMap<>();
			text.put("type", "string");
			List<String> examples = new ArrayList<>();
			for (Field field : cls.getFields()) {
				if (Modifier.isStatic(field.getModifiers()) && field.getType() == cls) {
					try {
						Object value = this.mapper.convertValue(field.get(null), Object.class);
						if (value instanceof String name) {
							examples.add(name);
						}
					}
					catch (IllegalAccessException | RuntimeException ex) {
						// not a constant the schema can show
					}
				}
			}
			if (!examples.isEmpty()) {
				text.put("examples", examples);
			}
			if (delegatingCreator(cls) == String.class) {
				return text;
			}
			property.put("anyOf", List.of(text, Map.of("type", "object")));
		}
		else if (cls.isRecord() && depth < 8) {
			Builder nested = new Builder();
			fields(cls, nested, depth);
			if (takesAString(cls)) {
				// a bare string in JSON binds too (a DELEGATING creator, as Expect's
				// regex)
				property.put("anyOf", List.of(Map.of("type", "string"), nested.build()));
				return property;
			}
			return nested.build();
		}
		return property;
	}

	private static boolean takesAString(Class<?> cls) {
		return delegatingCreator(cls) == String.class;
	}

	/**
	 * The type a static {@code @JsonCreator(mode = DELEGATING)} factory takes.
	 */
	private static @Nullable Class<?> delegatingCreator(Class<?> cls) {
		for (Method method : cls.getDeclaredMethods()) {
			JsonCreator creator = method.getAnnotation(JsonCreator.class);
			if (creator != null && creator.mode() == JsonCreator.Mode.DELEGATING
					&& Modifier.isStatic(method.getModifiers()) && method.getParameterCount() == 1) {
				return method.getParameterTypes()[0];
			}
		}
		return null;
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
		Size size = element.getAnnotation(Size.class);
		if (size != null && "array".equals(property.get("type"))) {
			property.put("maxItems", size.max());
		}
		else if (size != null && "string".equals(property.get("type"))) {
			property.put("maxLength", size.max());
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
