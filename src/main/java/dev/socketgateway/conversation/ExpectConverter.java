package dev.socketgateway.conversation;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/**
 * Binds {@code expect: "REGEX"} in YAML (probes and probe modules) as a regex
 * expectation; an object binds member by member.
 */
@Component
@ConfigurationPropertiesBinding
class ExpectConverter implements Converter<String, Expect> {

	@Override
	public Expect convert(String source) {
		return Expect.of(source);
	}

}
