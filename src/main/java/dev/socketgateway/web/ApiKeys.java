package dev.socketgateway.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The configured API keys, held as SHA-256 digests and compared in constant time.
 */
final class ApiKeys {

	private final List<Entry> entries;

	private ApiKeys(List<Entry> entries) {
		this.entries = entries;
	}

	/**
	 * Parses {@code key} or {@code id:key} entries; a bare key's id is
	 * {@code key<index>}.
	 * @param configured the configured entries
	 * @return the keys
	 */
	static ApiKeys parse(List<String> configured) {
		List<Entry> entries = new ArrayList<>();
		for (int i = 0; i < configured.size(); i++) {
			String value = configured.get(i).strip();
			if (value.isEmpty()) {
				continue;
			}
			int colon = value.indexOf(':');
			String id = (colon > 0) ? value.substring(0, colon) : "key" + i;
			String key = (colon > 0) ? value.substring(colon + 1) : value;
			if (key.isEmpty()) {
				throw new IllegalArgumentException("gateway.security.api-keys[" + i + "] has an id but no key");
			}
			entries.add(new Entry(id, digest(key)));
		}
		return new ApiKeys(List.copyOf(entries));
	}

	boolean isEmpty() {
		return this.entries.isEmpty();
	}

	/**
	 * The id of the key that matches, checking every key so timing says nothing.
	 * @param presented the presented key
	 * @return the key id, or {@code null}
	 */
	@Nullable String match(String presented) {
		byte[] digest = digest(presented);
		String found = null;
		for (Entry entry : this.entries) {
			if (MessageDigest.isEqual(entry.digest(), digest) && found == null) {
				found = entry.id();
			}
		}
		return found;
	}

	private static byte[] digest(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Entry(String id, byte[] digest) {
	}

}
