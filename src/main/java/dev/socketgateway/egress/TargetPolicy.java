package dev.socketgateway.egress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The egress policy for ad-hoc targets: allow and deny rules over special-purpose ranges
 * that stay blocked unless a rule inside them opens them.
 * <p>
 * Rules are {@code CIDR}, {@code CIDR:port} or {@code CIDR:low-high} (ports inclusive); a
 * bare address is a /32 or /128; IPv6 goes in brackets ({@code [::1]/128:7000-7999}).
 * Deny wins. A blocked range (loopback, private, link-local, ...) is only opened by an
 * allow rule whose CIDR lies inside it, so {@code 0.0.0.0/0} opens public IPv4 only. IPv6
 * forms that embed an IPv4 address are always refused. Without allow rules nothing is
 * allowed. Checks use precomputed masks and allocate nothing on the allowed path beyond
 * the address bytes.
 */
public final class TargetPolicy {

	private static final Range[] BLOCKED = {
			Range.of("0.0.0.0/8", "an unspecified ('this network') address", "", "this network is"),
			Range.of("10.0.0.0/8", "a private address", "", "private ranges are"),
			Range.of("100.64.0.0/10", "a carrier-grade NAT address", "", "carrier-grade NAT is"),
			Range.of("127.0.0.0/8", "a loopback address", "", "loopback is"),
			Range.of("169.254.0.0/16", "a link-local address",
					", which includes the cloud metadata service 169.254.169.254", "link-local is"),
			Range.of("172.16.0.0/12", "a private address", "", "private ranges are"),
			Range.of("192.0.0.0/24", "an IETF protocol assignment address", "", "this range is"),
			Range.of("192.168.0.0/16", "a private address", "", "private ranges are"),
			Range.of("198.18.0.0/15", "a benchmarking address", "", "this range is"),
			Range.of("224.0.0.0/4", "a multicast address", "", "multicast is"),
			Range.of("240.0.0.0/4", "a reserved address", ", which includes broadcast 255.255.255.255",
					"this range is"),
			Range.of("[::]/128", "the unspecified address", "", "it is"),
			Range.of("[::1]/128", "a loopback address", "", "loopback is"),
			Range.of("[fe80::]/10", "a link-local address", "", "link-local is"),
			Range.of("[fec0::]/10", "a (deprecated) site-local address", "", "site-local is"),
			Range.of("[fc00::]/7", "a unique local (private) address", "", "unique local is"),
			Range.of("[ff00::]/8", "a multicast address", "", "multicast is") };

	/**
	 * IPv6 forms that embed an IPv4 address; {@code ipv4At} is where it starts, or -1.
	 */
	private static final Embedding[] ALWAYS_REFUSED = {
			new Embedding(Cidr.parse("[::ffff:0:0]/96"), "an IPv4-mapped IPv6 address", 12),
			new Embedding(Cidr.parse("[::]/96"), "an IPv4-compatible IPv6 address", 12),
			new Embedding(Cidr.parse("[64:ff9b::]/96"), "a NAT64 address", 12),
			new Embedding(Cidr.parse("[64:ff9b:1::]/48"), "a local-use NAT64 address", -1),
			new Embedding(Cidr.parse("[2002::]/16"), "a 6to4 address", 2) };

	private final Rule[] allow;

	private final Rule[] deny;

	private TargetPolicy(Rule[] allow, Rule[] deny) {
		this.allow = allow;
		this.deny = deny;
	}

	/**
	 * Builds a policy from {@code gateway.policy.allow} and {@code gateway.policy.deny}.
	 * @param allow allow rules
	 * @param deny deny rules
	 * @return the policy
	 * @throws IllegalArgumentException naming the first bad rule and why it is bad
	 */
	public static TargetPolicy of(List<String> allow, List<String> deny) {
		return new TargetPolicy(parse("gateway.policy.allow", allow), parse("gateway.policy.deny", deny));
	}

	/**
	 * Checks one resolved address and port.
	 * @param address the address (an IPv4-mapped {@code Inet6Address} is refused)
	 * @param port the port
	 * @return {@link Decision#ALLOWED} or a denial whose reason names {@code ip:port} and
	 * why
	 */
	public Decision check(InetAddress address, int port) {
		byte[] bytes = address.getAddress();
		boolean v6 = bytes.length == 16;
		long hi = v6 ? toLong(bytes, 0) : 0;
		long lo = v6 ? toLong(bytes, 8) : ipv4(bytes);
		if (v6) {
			for (Embedding embedding : ALWAYS_REFUSED) {
				// :: and ::1 sit in ::/96 but are blocked ranges of their own
				if (embedding.cidr.contains(true, hi, lo) && !(hi == 0 && (lo == 0 || lo == 1))) {
					return Decision.denied(alwaysRefused(address, port, embedding, bytes));
				}
			}
		}
		for (Rule rule : this.deny) {
			if (rule.matches(v6, hi, lo, port)) {
				return Decision.denied(
						HostLiterals.toText(address, port) + " matches gateway.policy.deny rule '" + rule.text + "'");
			}
		}
		int blocked = blockedRange(v6, hi, lo);
		for (Rule rule : this.allow) {
			if (rule.blockedRange == blocked && rule.matches(v6, hi, lo, port)) {
				return Decision.ALLOWED;
			}
		}
		return Decision.denied((blocked >= 0) ? blocked(address, port, BLOCKED[blocked]) : notAllowed(address, port));
	}

	/**
	 * The allow rules as configured.
	 * @return the rules
	 */
	public List<String> allowRules() {
		return texts(this.allow);
	}

	/**
	 * The deny rules as configured.
	 * @return the rules
	 */
	public List<String> denyRules() {
		return texts(this.deny);
	}

	private static int blockedRange(boolean v6, long hi, long lo) {
		for (int i = 0; i < BLOCKED.length; i++) {
			if (BLOCKED[i].cidr.contains(v6, hi, lo)) {
				return i;
			}
		}
		return -1;
	}

	private static String blocked(InetAddress address, int port, Range range) {
		return HostLiterals.toText(address, port) + " is " + range.description + " (" + range.cidr.text + range.note
				+ "); " + range.blocked + " blocked unless gateway.policy.allow names it with a rule inside "
				+ range.cidr.text + " (e.g. " + example(address, port) + ")";
	}

	private static String notAllowed(InetAddress address, int port) {
		return HostLiterals.toText(address, port)
				+ " is not allowed: no gateway.policy.allow rule names it (by default no ad-hoc target is allowed;"
				+ " add e.g. " + example(address, port) + ", or use a configured target)";
	}

	private static String alwaysRefused(InetAddress address, int port, Embedding embedding, byte[] bytes) {
		int at = embedding.ipv4At;
		String ipv4 = (at < 0) ? "" : " " + (bytes[at] & 0xFF) + "." + (bytes[at + 1] & 0xFF) + "."
				+ (bytes[at + 2] & 0xFF) + "." + (bytes[at + 3] & 0xFF);
		return HostLiterals.toText(address, port) + " is " + embedding.description + " (" + embedding.cidr.text
				+ "), which is always refused: use the IPv4 address" + ipv4 + " instead";
	}

	private static String example(InetAddress address, int port) {
		return (address instanceof Inet4Address) ? HostLiterals.toText(address) + "/32:" + port
				: "[" + HostLiterals.toText(address) + "]/128:" + port;
	}

	private static List<String> texts(Rule[] rules) {
		List<String> texts = new ArrayList<>(rules.length);
		for (Rule rule : rules) {
			texts.add(rule.text);
		}
		return List.copyOf(texts);
	}

	private static Rule[] parse(String property, List<String> rules) {
		Rule[] parsed = new Rule[rules.size()];
		for (int i = 0; i < parsed.length; i++) {
			String text = rules.get(i);
			try {
				parsed[i] = Rule.parse((text != null) ? text.strip() : "");
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(property + "[" + i + "] " + HostLiterals.quote(String.valueOf(text))
						+ " is not a valid rule: " + ex.getMessage()
						+ " (rules are CIDR, CIDR:port or CIDR:low-high, e.g. 10.0.0.0/8:5000-5999 or [fd00::]/8)");
			}
		}
		return parsed;
	}

	private static long toLong(byte[] bytes, int from) {
		long value = 0;
		for (int i = from; i < from + 8; i++) {
			value = (value << 8) | (bytes[i] & 0xFF);
		}
		return value;
	}

	private static long ipv4(byte[] bytes) {
		return ((bytes[0] & 0xFFL) << 24) | ((bytes[1] & 0xFFL) << 16) | ((bytes[2] & 0xFFL) << 8) | (bytes[3] & 0xFFL);
	}

	/**
	 * The outcome of a check.
	 *
	 * @param allowed whether the address and port may be used
	 * @param reason why not, naming {@code ip:port}; {@code null} when allowed
	 */
	public record Decision(boolean allowed, @Nullable String reason) {

		/** The one allowed decision. */
		public static final Decision ALLOWED = new Decision(true, null);

		static Decision denied(String reason) {
			return new Decision(false, reason);
		}

	}

	/**
	 * An IPv4 or IPv6 network as two 64-bit halves (IPv4 lives in the low 32 bits of
	 * {@code lo}) with precomputed masks.
	 */
	static final class Cidr {

		final String text;

		final boolean v6;

		final int prefix;

		final long hi;

		final long lo;

		final long maskHi;

		final long maskLo;

		Cidr(String text, boolean v6, long hi, long lo, int prefix) {
			this.text = text;
			this.v6 = v6;
			this.prefix = prefix;
			if (v6) {
				this.maskHi = (prefix == 0) ? 0 : (prefix >= 64) ? -1L : -1L << (64 - prefix);
				this.maskLo = (prefix <= 64) ? 0 : -1L << (128 - prefix);
			}
			else {
				this.maskHi = 0;
				this.maskLo = (prefix == 0) ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
			}
			this.hi = hi;
			this.lo = lo;
			if ((hi & ~this.maskHi) != 0 || (lo & ~this.maskLo) != 0) {
				throw new IllegalArgumentException(
						"the address has bits set beyond the /" + prefix + " prefix (did you mean "
								+ network(v6, hi & this.maskHi, lo & this.maskLo) + "/" + prefix + "?)");
			}
		}

		boolean contains(boolean v6, long hi, long lo) {
			return this.v6 == v6 && (hi & this.maskHi) == this.hi && (lo & this.maskLo) == this.lo;
		}

		boolean inside(Cidr outer) {
			return outer.v6 == this.v6 && this.prefix >= outer.prefix && outer.contains(this.v6, this.hi, this.lo);
		}

		/**
		 * Parses {@code a.b.c.d[/n]} or {@code [v6][/n]}; the whole text is the CIDR.
		 */
		static Cidr parse(String text) {
			int slash = text.lastIndexOf('/');
			String address = (slash >= 0) ? text.substring(0, slash) : text;
			boolean v6 = address.startsWith("[");
			long hi = 0;
			long lo;
			if (v6) {
				if (!address.endsWith("]") || address.length() < 3) {
					throw new IllegalArgumentException("an IPv6 address goes in brackets, e.g. [fd00::]/8");
				}
				byte[] bytes = HostLiterals.parseIpv6(address.substring(1, address.length() - 1));
				hi = toLong(bytes, 0);
				lo = toLong(bytes, 8);
			}
			else {
				if (address.indexOf(':') >= 0) {
					throw new IllegalArgumentException("an IPv6 address goes in brackets, e.g. [fd00::]/8");
				}
				lo = HostLiterals.parseCanonicalIpv4(address, 0, address.length());
				if (lo < 0) {
					throw new IllegalArgumentException(HostLiterals.quote(address)
							+ " is not a canonical IPv4 address (four numbers 0-255 without leading zeros)"
							+ " or a bracketed IPv6 address; rules take addresses, not host names");
				}
			}
			int max = v6 ? 128 : 32;
			int prefix = max;
			if (slash >= 0) {
				prefix = number(text.substring(slash + 1), "prefix length");
				if (prefix > max) {
					throw new IllegalArgumentException("prefix length " + prefix + " is outside 0-" + max);
				}
			}
			return new Cidr(text, v6, hi, lo, prefix);
		}

		private static String network(boolean v6, long hi, long lo) {
			byte[] bytes = new byte[v6 ? 16 : 4];
			for (int i = 0; i < bytes.length; i++) {
				int shift = 8 * (bytes.length - 1 - i);
				bytes[i] = (byte) (v6 ? ((i < 8) ? hi >>> (shift - 64) : lo >>> shift) : lo >>> shift);
			}
			try {
				String text = HostLiterals.toText(InetAddress.getByAddress(bytes));
				return v6 ? "[" + text + "]" : text;
			}
			catch (UnknownHostException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	/**
	 * A blocked special-purpose range: what an address in it is, and how to say it is
	 * blocked.
	 */
	private record Range(Cidr cidr, String description, String note, String blocked) {

		static Range of(String cidr, String description, String note, String blocked) {
			return new Range(Cidr.parse(cidr), description, note, blocked);
		}

	}

	private record Embedding(Cidr cidr, String description, int ipv4At) {

	}

	private static final class Rule {

		final String text;

		final Cidr cidr;

		final int low;

		final int high;

		/** The blocked range this rule lies inside and so may open, or -1. */
		final int blockedRange;

		private Rule(String text, Cidr cidr, int low, int high) {
			this.text = text;
			this.cidr = cidr;
			this.low = low;
			this.high = high;
			int blocked = -1;
			for (int i = 0; i < BLOCKED.length; i++) {
				if (cidr.inside(BLOCKED[i].cidr)) {
					blocked = i;
				}
			}
			this.blockedRange = blocked;
		}

		boolean matches(boolean v6, long hi, long lo, int port) {
			return port >= this.low && port <= this.high && this.cidr.contains(v6, hi, lo);
		}

		static Rule parse(String text) {
			if (text.isEmpty()) {
				throw new IllegalArgumentException("it is empty");
			}
			int close = text.lastIndexOf(']');
			if (text.charAt(0) == '[' && close < 0) {
				throw new IllegalArgumentException("the IPv6 address lacks its closing ']'");
			}
			int colon = text.indexOf(':', Math.max(close, 0));
			if (close < 0 && colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
				throw new IllegalArgumentException(
						"an IPv6 address goes in brackets, e.g. [fd00::]/8 or [::1]/128:7000");
			}
			String cidrText = (colon >= 0) ? text.substring(0, colon) : text;
			Cidr cidr = Cidr.parse(cidrText);
			for (Embedding refused : ALWAYS_REFUSED) {
				if (cidr.inside(refused.cidr) && !refused.cidr.text.equals("[::]/96")) {
					throw new IllegalArgumentException("it lies in " + refused.cidr.text
							+ ", which is always refused: write the IPv4 rule instead");
				}
			}
			int low = 1;
			int high = 65535;
			if (colon >= 0) {
				String ports = text.substring(colon + 1);
				int dash = ports.indexOf('-');
				low = port((dash >= 0) ? ports.substring(0, dash) : ports);
				high = (dash >= 0) ? port(ports.substring(dash + 1)) : low;
				if (low > high) {
					throw new IllegalArgumentException("port range " + ports + " is empty (low > high)");
				}
			}
			return new Rule(text, cidr, low, high);
		}

		private static int port(String text) {
			int port = number(text, "port");
			if (port < 1 || port > 65535) {
				throw new IllegalArgumentException("port " + port + " is outside 1-65535");
			}
			return port;
		}

	}

	private static int number(String text, String what) {
		if (text.isEmpty() || text.length() > 5) {
			throw new IllegalArgumentException(
					what + " " + HostLiterals.quote(text) + " is not a number of 1 to 5 digits");
		}
		int value = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				throw new IllegalArgumentException(what + " " + HostLiterals.quote(text) + " is not a number");
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

}
