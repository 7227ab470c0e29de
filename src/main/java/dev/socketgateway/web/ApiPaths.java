package dev.socketgateway.web;

import java.util.List;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The API's path prefixes, read from the controllers' mappings, so a 404 can say where
 * the endpoints are.
 */
@Component
class ApiPaths {

	private final ObjectProvider<RequestMappingHandlerMapping> mappings;

	private volatile @Nullable List<String> prefixes;

	ApiPaths(ObjectProvider<RequestMappingHandlerMapping> mappings) {
		this.mappings = mappings;
	}

	/**
	 * The detail of a 404.
	 * @param path the path that was asked for
	 * @return the detail
	 */
	String notFound(String path) {
		return "no endpoint at " + printable(path) + "; the API's paths start with " + String.join(", ", prefixes())
				+ " (the OpenAPI description is at /v3/api-docs)";
	}

	List<String> prefixes() {
		List<String> known = this.prefixes;
		if (known == null) {
			TreeSet<String> found = new TreeSet<>();
			this.mappings.orderedStream().forEach((mapping) -> {
				for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
					for (String pattern : info.getPatternValues()) {
						if (pattern.startsWith("/api/")) {
							found.add(prefix(pattern));
						}
					}
				}
			});
			// keep the shortest prefixes: /api/v1/listeners, not also
			// /api/v1/listeners/{id}
			TreeSet<String> shortest = new TreeSet<>();
			for (String candidate : found) {
				if (shortest.stream().noneMatch((kept) -> candidate.startsWith(kept + "/"))) {
					shortest.add(candidate);
				}
			}
			known = List.copyOf(shortest);
			this.prefixes = known;
		}
		return known;
	}

	private static String prefix(String pattern) {
		int variable = pattern.indexOf("/{");
		return (variable >= 0) ? pattern.substring(0, variable) : pattern;
	}

	private static String printable(String path) {
		String cut = (path.length() > 200) ? path.substring(0, 200) + "..." : path;
		StringBuilder out = new StringBuilder();
		cut.codePoints().forEach((c) -> out.appendCodePoint((c < 0x20 || c == 0x7f) ? '?' : c));
		return out.toString();
	}

}
