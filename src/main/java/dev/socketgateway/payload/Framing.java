package dev.socketgateway.payload;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.google.re2j.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a TCP message ends on the wire: a preset name ({@code crlf}, {@code resp},
 * {@code mqtt}, ...) or an object ({@code delimiter}, {@code length}, {@code varint},
 * {@code lines}, {@code fixed}). The gateway adds the framing on send and strips it on
 * receive.
 * <p>
 * A value type: two framings with the same preset, or the same object members once
 * defaults are filled in, are equal (it is part of the pool key).
 */
public final class Framing {

	/** Message + CR LF. */
	public static final Framing CRLF = preset(Kind.CRLF);

	/** Message + LF. */
	public static final Framing LF = preset(Kind.LF);

	/** Message + 0x00. */
	public static final Framing NUL = preset(Kind.NUL);

	/** 0x02 + message + 0x03. */
	public static final Framing STX_ETX = preset(Kind.STX_ETX);

	/** One-byte big-endian length, then the message. */
	public static final Framing LENGTH1 = preset(Kind.LENGTH1);

	/** Two-byte big-endian length, then the message. */
	public static final Framing LENGTH2 = preset(Kind.LENGTH2);

	/** Four-byte big-endian length, then the message. */
	public static final Framing LENGTH4 = preset(Kind.LENGTH4);

	/** Bytes as they are. */
	public static final Framing RAW = preset(Kind.RAW);

	/** One complete RESP2/RESP3 value (Redis). */
	public static final Framing RESP = preset(Kind.RESP);

	/** SMTP/FTP/LMTP replies: lines up to the one whose code is followed by a space. */
	public static final Framing REPLY_CODE = preset(Kind.REPLY_CODE);

	/** One HTTP/1.x message. */
	public static final Framing HTTP = preset(Kind.HTTP);

	/** One MQTT control packet. */
	public static final Framing MQTT = preset(Kind.MQTT);

	/** One PostgreSQL backend or frontend message (type byte + self-counting length). */
	public static final Framing POSTGRES = preset(Kind.POSTGRES);

	/** One Modbus TCP ADU (MBAP length at offset 4). */
	public static final Framing MODBUS = preset(Kind.MODBUS);

	/** RFC 6587 octet counting: decimal length, space, message. */
	public static final Framing SYSLOG_OCTET = preset(Kind.SYSLOG_OCTET);

	/** DNS over TCP: as {@code length2}. */
	public static final Framing DNS_TCP = preset(Kind.DNS_TCP);

	/** Kafka: as {@code length4}. */
	public static final Framing KAFKA = preset(Kind.KAFKA);

	private static final List<Framing> LEGACY = List.of(CRLF, LF, NUL, STX_ETX, LENGTH1, LENGTH2, LENGTH4, RAW);

	private static final List<Framing> PRESETS = List.of(CRLF, LF, NUL, STX_ETX, LENGTH1, LENGTH2, LENGTH4, RAW, RESP,
			REPLY_CODE, HTTP, MQTT, POSTGRES, MODBUS, SYSLOG_OCTET, DNS_TCP, KAFKA);

	/** Object kinds, by their {@code type}. */
	static final List<String> OBJECT_TYPES = List.of("delimiter", "length", "varint", "lines", "fixed");

	static final int MAX_DELIMITERS = 8;

	static final int MAX_DELIMITER_BYTES = 64;

	static final int MAX_OFFSET = 65535;

	static final int MAX_REGEX_LENGTH = 1000;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Kind kind;

	/** Object members with defaults filled in, {@code type} first; empty for presets. */
	private final Map<String, Object> members;

	// parsed object parameters (defaults for presets)
	private final List<byte[]> delimiters;

	private final int offset;

	private final int size;

	private final boolean littleEndian;

	private final int adjust;

	/**
	 * Bytes stripped from the front of a frame; -1: the varint itself when offset is 0.
	 */
	private final int strip;

	private final @Nullable Pattern until;

	private final boolean lfOnly;

	private Framing(Kind kind, Map<String, Object> members, List<byte[]> delimiters, int offset, int size,
			boolean littleEndian, int adjust, int strip, @Nullable Pattern until, boolean lfOnly) {
		this.kind = kind;
		this.members = members;
		this.delimiters = delimiters;
		this.offset = offset;
		this.size = size;
		this.littleEndian = littleEndian;
		this.adjust = adjust;
		this.strip = strip;
		this.until = until;
		this.lfOnly = lfOnly;
	}

	private static Framing preset(Kind kind) {
		return new Framing(kind, Map.of(), List.of(), 0, 0, false, 0, 0, null, false);
	}

	/**
	 * Today's eight framings, in their historical order.
	 * @return {@code crlf, lf, nul, stx-etx, length1, length2, length4, raw}
	 */
	public static Framing[] values() {
		return LEGACY.toArray(new Framing[0]);
	}

	/**
	 * Every preset, the eight historical ones first.
	 * @return the presets
	 */
	public static List<Framing> presets() {
		return PRESETS;
	}

	/**
	 * Parses a preset name in any case, or a JSON object (as query parameters and YAML
	 * strings carry it).
	 * @param value the spelling
	 * @return the framing
	 * @throws IllegalArgumentException for anything else
	 */
	public static Framing of(String value) {
		String trimmed = value.trim();
		if (trimmed.startsWith("{")) {
			Object parsed;
			try {
				parsed = JSON.readValue(trimmed, Object.class);
			}
			catch (JacksonException ex) {
				throw new IllegalArgumentException("framing object is not valid JSON: " + ex.getOriginalMessage());
			}
			return fromJson(parsed);
		}
		String lower = trimmed.toLowerCase(Locale.ROOT);
		for (Framing framing : PRESETS) {
			if (framing.kind.value.equals(lower)) {
				return framing;
			}
		}
		throw new IllegalArgumentException("unknown framing '" + value + "': use a preset (" + presetNames()
				+ ") or an object with type " + String.join(", ", OBJECT_TYPES));
	}

	/**
	 * Reads a framing from JSON: a preset name or an object whose {@code type} picks the
	 * kind.
	 * @param value a string or a map of members
	 * @return the framing
	 * @throws IllegalArgumentException naming what is wrong
	 */
	@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
	public static Framing fromJson(Object value) {
		if (value instanceof String text) {
			return of(text);
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> members = new LinkedHashMap<>();
			map.forEach((key, member) -> members.put(String.valueOf(key), member));
			return fromMembers(members);
		}
		throw new IllegalArgumentException("framing must be a preset name (" + presetNames()
				+ ") or an object with type " + String.join(", ", OBJECT_TYPES));
	}

	/**
	 * Builds an object framing from its members.
	 * @param given the members, {@code type} included
	 * @return the framing
	 * @throws IllegalArgumentException naming unknown or invalid members
	 */
	public static Framing fromMembers(Map<String, ?> given) {
		return FramingObjects.parse(given);
	}

	static Framing delimiter(Map<String, Object> members, List<byte[]> delimiters) {
		return new Framing(Kind.DELIMITER, Collections.unmodifiableMap(members), List.copyOf(delimiters), 0, 0, false,
				0, 0, null, false);
	}

	static Framing length(Map<String, Object> members, int offset, int size, boolean littleEndian, int adjust,
			int strip) {
		return new Framing(Kind.LENGTH, Collections.unmodifiableMap(members), List.of(), offset, size, littleEndian,
				adjust, strip, null, false);
	}

	static Framing varint(Map<String, Object> members, int offset, int adjust, int strip) {
		return new Framing(Kind.VARINT, Collections.unmodifiableMap(members), List.of(), offset, 0, true, adjust, strip,
				null, false);
	}

	static Framing lines(Map<String, Object> members, Pattern until, boolean lfOnly) {
		return new Framing(Kind.LINES, Collections.unmodifiableMap(members), List.of(), 0, 0, false, 0, 0, until,
				lfOnly);
	}

	static Framing fixed(Map<String, Object> members, int size) {
		return new Framing(Kind.FIXED, Collections.unmodifiableMap(members), List.of(), 0, size, false, 0, 0, null,
				false);
	}

	static String presetNames() {
		List<String> names = new ArrayList<>();
		PRESETS.forEach((framing) -> names.add(framing.kind.value));
		return String.join(", ", names);
	}

	/**
	 * The JSON form: the preset name, or the object with its defaults filled in.
	 * @return a string or a map
	 */
	@JsonValue
	public Object json() {
		return isPreset() ? this.kind.value : this.members;
	}

	/**
	 * The preset name, or the object's {@code type}.
	 * @return the name
	 */
	public String value() {
		return this.kind.value;
	}

	/**
	 * Whether this is a preset rather than an object.
	 * @return true for presets
	 */
	public boolean isPreset() {
		return !this.kind.object;
	}

	/**
	 * The object's members with defaults filled in ({@code type} first); empty for
	 * presets.
	 * @return the members
	 */
	public Map<String, Object> members() {
		return this.members;
	}

	public boolean isRaw() {
		return this.kind == Kind.RAW;
	}

	/**
	 * Whether a reply ends by the framing itself, so that a connection can be reused:
	 * every framing but {@code raw} and {@code http}, whose responses without a length
	 * end at the close.
	 * @return true when a pooled connection is safe
	 */
	public boolean endsFramesItself() {
		return this.kind != Kind.RAW && this.kind != Kind.HTTP;
	}

	/**
	 * Bytes the framing adds to an empty message on send.
	 * @return the overhead
	 */
	public int overhead() {
		return (int) wireBytes(0);
	}

	/**
	 * Wire bytes this framing writes for one message of the given payload length, framing
	 * included (exact for variable-size prefixes such as {@code syslog-octet}).
	 * @param payloadLength payload bytes
	 * @return wire bytes
	 */
	public long wireBytes(int payloadLength) {
		return (long) prefixLength(payloadLength) + payloadLength + suffix().length;
	}

	/**
	 * Longest payload the framing can carry on send (255 for {@code length1}, 65535 for
	 * {@code length2}).
	 * @return the length
	 */
	public int maxPayloadLength() {
		return switch (this.kind) {
			case LENGTH1 -> 0xFF;
			case LENGTH2, DNS_TCP -> 0xFFFF;
			case LENGTH -> (this.offset != 0) ? Integer.MAX_VALUE
					: (int) Math.max(0, Math.min(Integer.MAX_VALUE, fieldMax(this.size) + this.adjust));
			case VARINT -> (this.offset != 0) ? Integer.MAX_VALUE
					: (int) Math.max(0, Math.min(Integer.MAX_VALUE, VarintCodec.MAX_VALUE + (long) this.adjust));
			default -> Integer.MAX_VALUE;
		};
	}

	/**
	 * Shortest payload the framing can carry on send (a length field with a positive
	 * {@code adjust} cannot describe less).
	 * @return the length
	 */
	public int minPayloadLength() {
		return ((this.kind == Kind.LENGTH || this.kind == Kind.VARINT) && this.offset == 0) ? Math.max(0, this.adjust)
				: 0;
	}

	private static long fieldMax(int size) {
		return (size == 8) ? Long.MAX_VALUE : (1L << (8 * size)) - 1;
	}

	/**
	 * How a complete frame of this framing usually ends ({@code http} may also end by
	 * {@code delimiter} for a message without a body, or {@code closed}).
	 * @return {@code delimiter}, {@code length} or {@code closed}
	 */
	public CompletedBy completedBy() {
		return switch (this.kind) {
			case CRLF, LF, NUL, STX_ETX, DELIMITER, LINES, REPLY_CODE -> CompletedBy.DELIMITER;
			case RAW -> CompletedBy.CLOSED;
			default -> CompletedBy.LENGTH;
		};
	}

	/**
	 * A codec for this framing: a Spring Integration serializer and deserializer that
	 * never buffers more than {@code maxFrameBytes} of one frame.
	 * @param maxFrameBytes largest accepted frame payload
	 * @return the codec; for {@code raw} one that reads to close, idle or max bytes
	 */
	public FrameCodec codec(int maxFrameBytes) {
		return switch (this.kind) {
			case CRLF -> new DelimiterCodec(this, new byte[0], new byte[] { '\r', '\n' }, maxFrameBytes);
			case LF -> new DelimiterCodec(this, new byte[0], new byte[] { '\n' }, maxFrameBytes);
			case NUL -> new DelimiterCodec(this, new byte[0], new byte[] { 0 }, maxFrameBytes);
			case STX_ETX -> new DelimiterCodec(this, new byte[] { 0x02 }, new byte[] { 0x03 }, maxFrameBytes);
			case LENGTH1 -> new LengthPrefixCodec(this, 1, maxFrameBytes);
			case LENGTH2, DNS_TCP -> new LengthPrefixCodec(this, 2, maxFrameBytes);
			case LENGTH4, KAFKA -> new LengthPrefixCodec(this, 4, maxFrameBytes);
			case RAW -> new RawCodec(maxFrameBytes, false);
			case RESP -> new RespCodec(this, maxFrameBytes);
			case REPLY_CODE -> new LinesCodec(this, null, false, maxFrameBytes);
			case LINES -> new LinesCodec(this, this.until, this.lfOnly, maxFrameBytes);
			case HTTP -> new HttpCodec(this, maxFrameBytes);
			case MQTT -> new VarintCodec(this, 1, 0, 0, maxFrameBytes);
			case VARINT -> new VarintCodec(this, this.offset, this.adjust, this.strip, maxFrameBytes);
			case POSTGRES -> new FieldLengthCodec(this, 1, 4, false, -4, 0, maxFrameBytes);
			case MODBUS -> new FieldLengthCodec(this, 4, 2, false, 0, 0, maxFrameBytes);
			case LENGTH -> new FieldLengthCodec(this, this.offset, this.size, this.littleEndian, this.adjust,
					this.strip, maxFrameBytes);
			case SYSLOG_OCTET -> new SyslogOctetCodec(this, maxFrameBytes);
			case DELIMITER -> new MultiDelimiterCodec(this, this.delimiters, maxFrameBytes);
			case FIXED -> new FixedCodec(this, this.size, maxFrameBytes);
		};
	}

	/**
	 * A codec that reads this framing and writes {@code sendFraming}.
	 * @param maxFrameBytes largest accepted frame payload
	 * @param sendFraming how payloads are written, or {@code null} for this framing
	 * @return the codec
	 */
	public FrameCodec codec(int maxFrameBytes, @Nullable Framing sendFraming) {
		FrameCodec receive = codec(maxFrameBytes);
		if (sendFraming == null || sendFraming.equals(this)) {
			return receive;
		}
		return new SplitCodec(sendFraming.codec(Math.max(1, maxFrameBytes)), receive);
	}

	/**
	 * A codec that writes with {@code sendFraming} and reads with {@code receive}.
	 * @param sendFraming how payloads are written, or {@code null} to keep
	 * {@code receive}'s
	 * @param receive the reading codec
	 * @param maxFrameBytes the frame limit
	 * @return the codec
	 */
	public static FrameCodec withSend(@Nullable Framing sendFraming, FrameCodec receive, int maxFrameBytes) {
		return (sendFraming == null) ? receive : new SplitCodec(sendFraming.codec(Math.max(1, maxFrameBytes)), receive);
	}

	/**
	 * A {@code raw} codec for one-shot reads: ends on close, on a socket read timeout
	 * after the first byte (idle), or at {@code maxBytes}.
	 * @param maxBytes most bytes of one reply
	 * @return the codec
	 */
	public static FrameCodec rawCodec(int maxBytes) {
		return new RawCodec(maxBytes, false);
	}

	/**
	 * A {@code raw} codec for long-lived connections: each read that returns data is one
	 * message.
	 * @param maxBytes most bytes of one message
	 * @return the codec
	 */
	public static FrameCodec rawChunkCodec(int maxBytes) {
		return new RawCodec(maxBytes, true);
	}

	/**
	 * The bytes written before a payload of the given length.
	 */
	byte[] prefix(int payloadLength) {
		return switch (this.kind) {
			case STX_ETX -> new byte[] { 0x02 };
			case LENGTH1 -> bigEndian(payloadLength, 1);
			case LENGTH2, DNS_TCP -> bigEndian(payloadLength, 2);
			case LENGTH4, KAFKA -> bigEndian(payloadLength, 4);
			case LENGTH -> (this.offset == 0) ? field(payloadLength - (long) this.adjust) : new byte[0];
			case VARINT -> (this.offset == 0) ? VarintCodec.encode(payloadLength - (long) this.adjust) : new byte[0];
			case SYSLOG_OCTET -> (payloadLength + " ").getBytes(StandardCharsets.US_ASCII);
			default -> new byte[0];
		};
	}

	private int prefixLength(int payloadLength) {
		return switch (this.kind) {
			case STX_ETX, LENGTH1 -> 1;
			case LENGTH2, DNS_TCP -> 2;
			case LENGTH4, KAFKA -> 4;
			case LENGTH -> (this.offset == 0) ? this.size : 0;
			case VARINT -> (this.offset == 0) ? VarintCodec.encodedLength(payloadLength - (long) this.adjust) : 0;
			case SYSLOG_OCTET -> Integer.toString(payloadLength).length() + 1;
			default -> 0;
		};
	}

	/**
	 * The bytes written after every payload.
	 */
	byte[] suffix() {
		return switch (this.kind) {
			case CRLF, RESP, REPLY_CODE -> new byte[] { '\r', '\n' };
			case LF, NUL -> new byte[] { (byte) ((this.kind == Kind.LF) ? '\n' : 0) };
			case STX_ETX -> new byte[] { 0x03 };
			case LINES -> this.lfOnly ? new byte[] { '\n' } : new byte[] { '\r', '\n' };
			case DELIMITER -> this.delimiters.get(0).clone();
			default -> new byte[0];
		};
	}

	/**
	 * One framed message as this framing writes it.
	 * @param payload the message
	 * @return prefix + payload + suffix
	 * @throws IllegalArgumentException when the payload does not fit the framing
	 */
	byte[] frame(byte[] payload) {
		if (payload.length > maxPayloadLength() || payload.length < minPayloadLength()) {
			throw new IllegalArgumentException("payload of " + payload.length + " bytes does not fit " + this
					+ " (from " + minPayloadLength() + " to " + maxPayloadLength() + " bytes)");
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(
				(int) Math.min(Integer.MAX_VALUE - 8, wireBytes(payload.length)));
		out.writeBytes(prefix(payload.length));
		out.writeBytes(payload);
		out.writeBytes(suffix());
		return out.toByteArray();
	}

	private byte[] field(long value) {
		byte[] bytes = bigEndian(value, this.size);
		if (this.littleEndian) {
			for (int i = 0; i < bytes.length / 2; i++) {
				byte swap = bytes[i];
				bytes[i] = bytes[bytes.length - 1 - i];
				bytes[bytes.length - 1 - i] = swap;
			}
		}
		return bytes;
	}

	private static byte[] bigEndian(long value, int size) {
		byte[] bytes = new byte[size];
		long rest = value;
		for (int i = size - 1; i >= 0; i--) {
			bytes[i] = (byte) rest;
			rest >>>= 8;
		}
		return bytes;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other)
				|| (other instanceof Framing that && this.kind == that.kind && this.members.equals(that.members));
	}

	@Override
	public int hashCode() {
		return 31 * this.kind.hashCode() + this.members.hashCode();
	}

	/**
	 * The preset name, or {@code type{member=value, ...}} for an object.
	 */
	@Override
	public String toString() {
		if (isPreset()) {
			return this.kind.value;
		}
		Map<String, Object> rest = new LinkedHashMap<>(this.members);
		rest.remove("type");
		return this.kind.value + rest;
	}

	/** Names every preset and object type, for documentation. */
	static Set<String> allNames() {
		Set<String> names = new LinkedHashSet<>();
		PRESETS.forEach((framing) -> names.add(framing.kind.value));
		names.addAll(OBJECT_TYPES);
		return names;
	}

	private enum Kind {

		CRLF("crlf"), LF("lf"), NUL("nul"), STX_ETX("stx-etx"), LENGTH1("length1"), LENGTH2("length2"),
		LENGTH4("length4"), RAW("raw"), RESP("resp"), REPLY_CODE("reply-code"), HTTP("http"), MQTT("mqtt"),
		POSTGRES("postgres"), MODBUS("modbus"), SYSLOG_OCTET("syslog-octet"), DNS_TCP("dns-tcp"), KAFKA("kafka"),
		DELIMITER("delimiter", true), LENGTH("length", true), VARINT("varint", true), LINES("lines", true),
		FIXED("fixed", true);

		final String value;

		final boolean object;

		Kind(String value) {
			this(value, false);
		}

		Kind(String value, boolean object) {
			this.value = value;
			this.object = object;
		}

	}

}
