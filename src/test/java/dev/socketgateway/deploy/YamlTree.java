package dev.socketgateway.deploy;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks parsed YAML (maps, lists, scalars) with a failing assertion for each wrong turn.
 */
final class YamlTree {

	private YamlTree() {
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object node, String... path) {
		Object value = at(node, path);
		assertThat(value).as("map at %s", String.join(".", path)).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Object node, String... path) {
		Object value = at(node, path);
		assertThat(value).as("list at %s", String.join(".", path)).isInstanceOf(List.class);
		return (List<Object>) value;
	}

	static Object at(Object node, String... path) {
		Object current = node;
		StringBuilder walked = new StringBuilder();
		for (String key : path) {
			walked.append(walked.length() == 0 ? "" : ".").append(key);
			assertThat(current).as("parent of %s", walked).isInstanceOf(Map.class);
			Map<?, ?> map = (Map<?, ?>) current;
			assertThat(map.containsKey(key)).as("%s present in %s", walked, map.keySet()).isTrue();
			current = map.get(key);
		}
		return current;
	}

	static boolean has(Object node, String... path) {
		Object current = node;
		for (String key : path) {
			if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
				return false;
			}
			current = map.get(key);
		}
		return true;
	}

}
