package dev.socketgateway.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.jspecify.annotations.Nullable;

import dev.socketgateway.GatewayException;

/**
 * Parses and prints hosts without ever looking a name up: canonical dotted-decimal IPv4,
 * IPv6 in any RFC 4291 spelling, and RFC 1123 host names.
 * <p>
 * Host names may also contain {@code _}: Docker Compose service and container names (e.g.
 * {@code my_service}) use it, and a resolver that cannot resolve them simply says so.
 * IPv4-mapped literals ({@code ::ffff:127.0.0.1}) come back as an {@link Inet6Address}
 * that keeps the mapped form, so the policy can refuse them; {@code InetAddress} would
 * silently turn them into an {@link Inet4Address}.
 */
public final class HostLiterals {

	private static final int MAX_NAME_LENGTH = 253;

	private static final int MAX_LABEL_LENGTH = 63;

	private static final String CANONICAL_IPV4 = "use canonical dotted decimal: four numbers 0-255 without leading zeros, e.g. 127.0.0.1";

	private HostLiterals() {
	}

	/**
	 * The address of an IP literal, or {@code null} for a host name; never a lookup.
	 * @param host the host as a request gives it (brackets allowed around IPv6)
	 * @return the address, or {@code null} when {@code host} is a valid host name
	 * @throws GatewayException {@code VALIDATION_FAILED} naming {@code host} for anything
	 * else, including non-canonical IPv4 forms such as {@code 127.1} and IPv6 zone ids
	 */
	public static @Nullable InetAddress parseLiteral(String host) {
		try {
			return parse(host);
		}
		catch (IllegalArgumentException ex) {
			throw GatewayException.invalidField("host", String.valueOf(ex.getMessage()));
		}
	}

	/**
	 * An IP address literal given in a field other than {@code host}, such as a
	 * listener's {@code bindAddress}: canonical forms only, never a lookup.
	 * @param text the text
	 * @param field the field to name in the error
	 * @return the address, or {@code null} when {@code text} is a host name
	 * @throws GatewayException {@code VALIDATION_FAILED} naming {@code field}
	 */
	public static @Nullable InetAddress parseLiteral(String text, String field) {
		try {
			return parse(text);
		}
		catch (IllegalArgumentException ex) {
			throw GatewayException.invalidField(field, String.valueOf(ex.getMessage()));
		}
	}

	/**
	 * The host without the brackets of a bracketed IPv6 literal.
	 * @param host a host that {@link #parseLiteral} accepted
	 * @return the host as a name or plain literal
	 */
	public static String unbracketed(String host) {
		return (host.length() > 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']')
				? host.substring(1, host.length() - 1) : host;
	}

	/**
	 * Prints an address as the API does: IPv4 dotted decimal, IPv6 per RFC 5952
	 * ({@code ::1}, {@code ::ffff:127.0.0.1}), without a zone.
	 * @param address the address
	 * @return the text
	 */
	public static String toText(InetAddress address) {
		byte[] bytes = address.getAddress();
		return (bytes.length == 4) ? ipv4Text(bytes, 0) : ipv6Text(bytes);
	}

	/**
	 * Prints an address and port as the API does: {@code 127.0.0.1:9000},
	 * {@code [::1]:7000}.
	 * @param address the address
	 * @param port the port
	 * @return the text
	 */
	public static String toText(InetAddress address, int port) {
		String text = toText(address);
		return (address.getAddress().length == 4) ? text + ":" + port : "[" + text + "]:" + port;
	}

	/**
	 * Like {@link #parseLiteral} but throws {@link IllegalArgumentException} with a
	 * message that does not name the field, for configuration and rules.
	 */
	static @Nullable InetAddress parse(String host) {
		if (host.isEmpty() || host.isBlank()) {
			throw new IllegalArgumentException("must not be blank");
		}
		if (host.length() > MAX_NAME_LENGTH + 1) {
			throw new IllegalArgumentException("is longer than " + MAX_NAME_LENGTH + " characters");
		}
		if (host.charAt(0) == '[') {
			if (host.length() < 3 || host.charAt(host.length() - 1) != ']') {
				throw new IllegalArgumentException(
						quote(host) + " is not a valid bracketed IPv6 address: write it as [::1], without a port");
			}
			String inner = host.substring(1, host.length() - 1);
			if (inner.indexOf(':') < 0) {
				throw new IllegalArgumentException(quote(host)
						+ ": brackets are only for IPv6 addresses; write IPv4 addresses and names without them");
			}
			return ipv6Address(inner);
		}
		if (host.indexOf(':') >= 0) {
			if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf('%') < 0) {
				throw new IllegalArgumentException(
						quote(host) + " is not a host: give the port in 'port', not after a ':' in 'host'");
			}
			return ipv6Address(host);
		}
		if (isNumeric(host)) {
			long ipv4 = parseCanonicalIpv4(host, 0, host.length());
			if (ipv4 < 0) {
				throw new IllegalArgumentException(quote(host) + " is not a canonical IPv4 address; " + CANONICAL_IPV4);
			}
			return address(new byte[] { (byte) (ipv4 >>> 24), (byte) (ipv4 >>> 16), (byte) (ipv4 >>> 8), (byte) ipv4 });
		}
		checkHostName(host);
		return null;
	}

	/**
	 * The 16 bytes of an IPv6 literal without brackets, in any RFC 4291 spelling.
	 */
	static byte[] parseIpv6(String text) {
		if (text.indexOf('%') >= 0) {
			throw new IllegalArgumentException(quote(text)
					+ " has an IPv6 zone id (%...), which is not supported: use a global address or a host name");
		}
		byte[] bytes = new byte[16];
		if (!parseIpv6(text, bytes)) {
			throw new IllegalArgumentException(quote(text) + " is not a valid IPv6 address, e.g. ::1 or 2001:db8::7");
		}
		return bytes;
	}

	private static InetAddress ipv6Address(String text) {
		byte[] bytes = parseIpv6(text);
		try {
			// Inet6Address.getByAddress keeps an IPv4-mapped address as IPv6
			return Inet6Address.getByAddress(null, bytes, -1);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static InetAddress address(byte[] bytes) {
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean parseIpv6(String text, byte[] out) {
		int length = text.length();
		if (length < 2 || length > 45) {
			return false;
		}
		int doubleColon = text.indexOf("::");
		int[] groups = new int[8];
		if (doubleColon < 0) {
			int count = parseGroups(text, 0, length, groups, 0, true);
			if (count != 8) {
				return false;
			}
			writeGroups(groups, 0, 8, out, 0);
			return true;
		}
		if (text.indexOf("::", doubleColon + 1) >= 0) {
			return false;
		}
		int head = parseGroups(text, 0, doubleColon, groups, 0, false);
		if (head < 0) {
			return false;
		}
		int tail = parseGroups(text, doubleColon + 2, length, groups, head, true);
		if (tail < 0 || head + tail > 7) {
			return false;
		}
		writeGroups(groups, 0, head, out, 0);
		writeGroups(groups, head, tail, out, 16 - 2 * tail);
		return true;
	}

	/**
	 * Parses {@code :}-separated groups of 1-4 hex digits in {@code text[from, to)}, the
	 * last one optionally a dotted IPv4 address (two groups).
	 * @return the number of groups written, or -1
	 */
	private static int parseGroups(String text, int from, int to, int[] groups, int offset, boolean ipv4Tail) {
		if (from == to) {
			return 0;
		}
		int count = 0;
		int start = from;
		while (true) {
			int end = text.indexOf(':', start);
			if (end < 0 || end > to) {
				end = to;
			}
			if (end == start) {
				return -1;
			}
			if (end == to && ipv4Tail && text.indexOf('.', start) >= 0 && text.indexOf('.', start) < to) {
				long ipv4 = parseCanonicalIpv4(text, start, to);
				if (ipv4 < 0 || offset + count + 2 > 8) {
					return -1;
				}
				groups[offset + count++] = (int) (ipv4 >>> 16);
				groups[offset + count++] = (int) (ipv4 & 0xFFFF);
				return count;
			}
			if (end - start > 4 || offset + count >= 8) {
				return -1;
			}
			int value = 0;
			for (int i = start; i < end; i++) {
				int digit = Character.digit(text.charAt(i), 16);
				if (digit < 0 || text.charAt(i) > 'f') {
					return -1;
				}
				value = (value << 4) | digit;
			}
			groups[offset + count++] = value;
			if (end == to) {
				return count;
			}
			start = end + 1;
			if (start == to) {
				return -1;
			}
		}
	}

	private static void writeGroups(int[] groups, int from, int count, byte[] out, int at) {
		for (int i = 0; i < count; i++) {
			out[at + 2 * i] = (byte) (groups[from + i] >>> 8);
			out[at + 2 * i + 1] = (byte) groups[from + i];
		}
	}

	/**
	 * Parses four decimal numbers 0-255 without leading zeros in {@code text[from, to)}.
	 * @return the address as an unsigned 32-bit value, or -1 when not canonical
	 */
	static long parseCanonicalIpv4(String text, int from, int to) {
		long result = 0;
		int parts = 0;
		int i = from;
		while (parts < 4) {
			int start = i;
			int value = 0;
			while (i < to && i - start < 4 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
				value = value * 10 + (text.charAt(i) - '0');
				i++;
			}
			int digits = i - start;
			if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
				return -1;
			}
			result = (result << 8) | value;
			parts++;
			if (parts < 4) {
				if (i >= to || text.charAt(i) != '.') {
					return -1;
				}
				i++;
			}
		}
		return (i == to) ? result : -1;
	}

	/**
	 * Whether a host is made only of dotted numbers (decimal or {@code 0x} hex), which
	 * some resolvers read as IPv4 ({@code 127.1}, {@code 2130706433}, {@code 0x7f.1}).
	 */
	private static boolean isNumeric(String host) {
		boolean anyDigits = false;
		int start = 0;
		int length = host.length();
		while (start <= length) {
			int end = host.indexOf('.', start);
			if (end < 0) {
				end = length;
			}
			if (end > start) {
				if (!isNumericPart(host, start, end)) {
					return false;
				}
				anyDigits = true;
			}
			start = end + 1;
		}
		return anyDigits;
	}

	private static boolean isNumericPart(String host, int start, int end) {
		int i = start;
		if (end - start >= 2 && host.charAt(start) == '0'
				&& (host.charAt(start + 1) == 'x' || host.charAt(start + 1) == 'X')) {
			for (i = start + 2; i < end; i++) {
				if (Character.digit(host.charAt(i), 16) < 0 || host.charAt(i) > 'f') {
					return false;
				}
			}
			return true;
		}
		for (; i < end; i++) {
			if (host.charAt(i) < '0' || host.charAt(i) > '9') {
				return false;
			}
		}
		return true;
	}

	private static void checkHostName(String host) {
		String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
		if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
			throw new IllegalArgumentException(
					quote(host) + " is not a valid host name: it must have 1 to " + MAX_NAME_LENGTH + " characters");
		}
		int labelStart = 0;
		for (int i = 0; i <= name.length(); i++) {
			char c = (i < name.length()) ? name.charAt(i) : '.';
			if (c == '.') {
				int labelLength = i - labelStart;
				if (labelLength == 0) {
					throw new IllegalArgumentException(
							quote(host) + " is not a valid host name: it has an empty label");
				}
				if (labelLength > MAX_LABEL_LENGTH) {
					throw new IllegalArgumentException(quote(host)
							+ " is not a valid host name: a label is longer than " + MAX_LABEL_LENGTH + " characters");
				}
				if (name.charAt(labelStart) == '-' || name.charAt(i - 1) == '-') {
					throw new IllegalArgumentException(
							quote(host) + " is not a valid host name: a label starts or ends with '-'");
				}
				labelStart = i + 1;
			}
			else if (!isNameCharacter(c)) {
				throw new IllegalArgumentException(quote(host) + " is not a valid host name: " + describe(c)
						+ " at position " + i + " is not allowed; use letters, digits, '-', '_' and '.'"
						+ ((c > 0x7F) ? " (write internationalized names in their xn-- form)" : ""));
			}
		}
	}

	private static boolean isNameCharacter(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
	}

	private static String describe(char c) {
		if (c == ' ') {
			return "a space";
		}
		return (c < 0x20 || c == 0x7F || Character.isWhitespace(c)) ? String.format("U+%04X", (int) c) : "'" + c + "'";
	}

	static String quote(String text) {
		return "'" + ((text.length() > 80) ? text.substring(0, 77) + "..." : text) + "'";
	}

	private static String ipv4Text(byte[] bytes, int at) {
		return (bytes[at] & 0xFF) + "." + (bytes[at + 1] & 0xFF) + "." + (bytes[at + 2] & 0xFF) + "."
				+ (bytes[at + 3] & 0xFF);
	}

	private static String ipv6Text(byte[] bytes) {
		if (isMapped(bytes)) {
			return "::ffff:" + ipv4Text(bytes, 12);
		}
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < 8;) {
			if (group(bytes, i) == 0) {
				int j = i;
				while (j < 8 && group(bytes, j) == 0) {
					j++;
				}
				if (j - i > bestLength) {
					bestStart = i;
					bestLength = j - i;
				}
				i = j;
			}
			else {
				i++;
			}
		}
		StringBuilder text = new StringBuilder(39);
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				text.append("::");
				i += bestLength - 1;
				continue;
			}
			if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
				text.append(':');
			}
			text.append(Integer.toHexString(group(bytes, i)));
		}
		return text.toString();
	}

	private static int group(byte[] bytes, int index) {
		return ((bytes[2 * index] & 0xFF) << 8) | (bytes[2 * index + 1] & 0xFF);
	}

	static boolean isMapped(byte[] bytes) {
		if (bytes.length != 16) {
			return false;
		}
		for (int i = 0; i < 10; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
	}

}
