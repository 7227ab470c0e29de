package dev.socketgateway.payload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Every preset and object kind against byte sequences from the protocols' specifications
 * (Redis RESP, RFC 5321/959, RFC 9112, MQTT 3.1.1/5, PostgreSQL, Modbus, RFC 6587,
 * Netty's LengthFieldBasedFrameDecoder javadoc, protobuf). Each frame is followed by a
 * second one and decoded split at every byte boundary and one byte per read: always the
 * same frames.
 */
class RealProtocolCodecTests {

	private static final int MAX = 4096;

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static byte[] hex(String digits) {
		return HexFormat.ofDelimiter(" ").parseHex(digits);
	}

	private static byte[] concat(byte[]... parts) {
		int length = Arrays.stream(parts).mapToInt((part) -> part.length).sum();
		byte[] all = new byte[length];
		int offset = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, all, offset, part.length);
			offset += part.length;
		}
		return all;
	}

	private static Framing object(Map<String, ?> members) {
		return Framing.fromMembers(members);
	}

	/**
	 * Decodes {@code first} then {@code second} from one stream, split at every byte
	 * boundary and one byte per read; every way gives the same two frames.
	 */
	private static Frame decodesAt(Framing framing, byte[] first, byte[] second, byte[] expectedPayload,
			CompletedBy completedBy) throws IOException {
		byte[] wire = concat(first, second);
		List<ScriptedInputStream> streams = new ArrayList<>();
		for (int split = 0; split <= wire.length; split++) {
			streams
				.add(ScriptedInputStream.of(Arrays.copyOf(wire, split), Arrays.copyOfRange(wire, split, wire.length)));
		}
		streams.add(ScriptedInputStream.of(wire).oneBytePerRead());
		Frame result = null;
		for (ScriptedInputStream in : streams) {
			FrameCodec codec = framing.codec(MAX);
			Frame frame = codec.deserialize(in);
			assertThat(frame.payload()).as("payload of %s", framing).isEqualTo(expectedPayload);
			assertThat(frame.wireBytes()).isEqualTo(first.length);
			assertThat(frame.completedBy()).isEqualTo(completedBy);
			assertThat(in.consumed()).as("nothing of the next frame is consumed").isEqualTo(first.length);
			Frame next = codec.deserialize(in);
			assertThat(next.wireBytes()).isEqualTo(second.length);
			assertThatExceptionOfType(SoftEndOfStreamException.class).isThrownBy(() -> codec.deserialize(in));
			result = frame;
		}
		return result;
	}

	/** Every strict prefix of a frame ends as a truncated frame (or a clean end at 0). */
	private static void truncatesAtEveryByte(Framing framing, byte[] frame) {
		for (int cut = 1; cut < frame.length; cut++) {
			int at = cut;
			ScriptedInputStream in = ScriptedInputStream.of(Arrays.copyOf(frame, cut));
			assertThatExceptionOfType(TruncatedFrameException.class).as("cut at %d", cut)
				.isThrownBy(() -> framing.codec(MAX).deserialize(in))
				.satisfies((ex) -> assertThat(ex.bytesRead()).isEqualTo(at));
		}
	}

	private static void tooLarge(Framing framing, int max, byte[] wire) {
		assertThatExceptionOfType(FrameTooLargeException.class)
			.isThrownBy(() -> framing.codec(max).deserialize(ScriptedInputStream.of(wire)))
			.satisfies((ex) -> assertThat(ex.limit()).isEqualTo(max));
	}

	private static void malformed(Framing framing, byte[] wire) {
		assertThatExceptionOfType(MalformedFrameException.class)
			.isThrownBy(() -> framing.codec(MAX).deserialize(ScriptedInputStream.of(wire)));
	}

	private static byte[] written(Framing framing, String payload) throws IOException {
		RecordingOutputStream out = new RecordingOutputStream();
		framing.codec(MAX).serialize(bytes(payload), out);
		assertThat(out.writes()).isOne();
		assertThat((long) out.size()).isEqualTo(framing.wireBytes(payload.length()));
		return out.toByteArray();
	}

	// RESP: https://redis.io/docs/latest/develop/reference/protocol-spec/

	@Test
	void respBulkStringWithCrLfInsideIsOneValue() throws IOException {
		byte[] get = bytes("$12\r\nhello\r\nworld\r\n");
		decodesAt(Framing.RESP, get, bytes("+OK\r\n"), get, CompletedBy.LENGTH);
		truncatesAtEveryByte(Framing.RESP, get);
	}

	@Test
	void respArraysNestedAndNullsDecodeWhole() throws IOException {
		byte[] lrange = bytes("*3\r\n$1\r\na\r\n$0\r\n\r\n$-1\r\n");
		decodesAt(Framing.RESP, lrange, bytes(":1000\r\n"), lrange, CompletedBy.LENGTH);
		byte[] nested = bytes("*2\r\n*3\r\n:1\r\n:2\r\n:3\r\n*2\r\n+Hello\r\n-World\r\n");
		decodesAt(Framing.RESP, nested, bytes("*-1\r\n"), nested, CompletedBy.LENGTH);
		truncatesAtEveryByte(Framing.RESP, nested);
	}

	@Test
	void resp3MapsAttributesVerbatimAndScalarsDecodeWhole() throws IOException {
		byte[] map = bytes("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n");
		decodesAt(Framing.RESP, map, bytes("_\r\n"), map, CompletedBy.LENGTH);
		byte[] attribute = bytes("|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n"
				+ "*2\r\n:2039123\r\n:9543892\r\n");
		decodesAt(Framing.RESP, attribute, bytes("#t\r\n"), attribute, CompletedBy.LENGTH);
		byte[] verbatim = bytes("=15\r\ntxt:Some string\r\n");
		decodesAt(Framing.RESP, verbatim, bytes("(3492890328409238509324850943850943825024385\r\n"), verbatim,
				CompletedBy.LENGTH);
		byte[] push = bytes(">2\r\n~1\r\n!21\r\nSYNTAX invalid syntax\r\n,inf\r\n");
		decodesAt(Framing.RESP, push, bytes("+x\r\n"), push, CompletedBy.LENGTH);
	}

	@Test
	void respSendsPayloadAndCrLf() throws IOException {
		assertThat(written(Framing.RESP, "PING")).isEqualTo(bytes("PING\r\n"));
	}

	@Test
	void respDeeperThan32LevelsOrOverTheLimitIsTooLarge() throws IOException {
		byte[] deepest = bytes("*1\r\n".repeat(32) + ":1\r\n");
		assertThat(Framing.RESP.codec(MAX).deserialize(ScriptedInputStream.of(deepest)).payload()).isEqualTo(deepest);
		tooLarge(Framing.RESP, MAX, bytes("*1\r\n".repeat(33) + ":1\r\n"));
		tooLarge(Framing.RESP, 100, bytes("$101\r\n"));
		tooLarge(Framing.RESP, 100, bytes("*101\r\n"));
		tooLarge(Framing.RESP, 10, bytes("+this simple string is longer than ten bytes\r\n"));
	}

	@Test
	void respMalformedInputIsRejected() {
		malformed(Framing.RESP, bytes("hello\r\n"));
		malformed(Framing.RESP, bytes("$abc\r\n"));
		malformed(Framing.RESP, bytes("$3\r\nabcXY"));
		malformed(Framing.RESP, bytes("+OK\n"));
		malformed(Framing.RESP, bytes("$-2\r\n"));
		malformed(Framing.RESP, bytes("$?\r\n"));
	}

	// reply-code: RFC 5321 4.2.1 and D.1, RFC 959 4.2

	@Test
	void replyCodeReadsAnSmtpEhloReplyToItsLastLine() throws IOException {
		byte[] ehlo = bytes("250-foo.com greets bar.com\r\n250-8BITMIME\r\n250-SIZE\r\n250-DSN\r\n250 HELP\r\n");
		decodesAt(Framing.REPLY_CODE, ehlo, bytes("354 Start mail input\r\n"),
				bytes("250-foo.com greets bar.com\r\n250-8BITMIME\r\n250-SIZE\r\n250-DSN\r\n250 HELP"),
				CompletedBy.DELIMITER);
		truncatesAtEveryByte(Framing.REPLY_CODE, ehlo);
		byte[] bare = bytes("250\r\n");
		decodesAt(Framing.REPLY_CODE, bare, bytes("221 bye\r\n"), bytes("250"), CompletedBy.DELIMITER);
	}

	@Test
	void replyCodeReadsAnFtpMultiLineReplyUntilTheSameCode() throws IOException {
		byte[] feat = bytes("123-First line\r\nSecond line\r\n  234 A line beginning with numbers\r\n"
				+ "234 not the same code\r\n123 The last line\r\n");
		decodesAt(Framing.REPLY_CODE, feat, bytes("200 ok\r\n"), Arrays.copyOf(feat, feat.length - 2),
				CompletedBy.DELIMITER);
	}

	@Test
	void replyCodeTakesBareLfAndIsLimited() throws IOException {
		decodesAt(Framing.REPLY_CODE, bytes("220-a\n220 b\n"), bytes("250 c\n"), bytes("220-a\n220 b"),
				CompletedBy.DELIMITER);
		tooLarge(Framing.REPLY_CODE, 10, bytes("250-0123456789\r\n"));
		assertThat(written(Framing.REPLY_CODE, "EHLO me")).isEqualTo(bytes("EHLO me\r\n"));
	}

	// http: RFC 9112 6.3, 7.1

	@Test
	void httpResponseWithContentLengthEndsAfterItsBody() throws IOException {
		byte[] response = bytes(
				"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n" + "hello\r\n\r\nyou");
		decodesAt(Framing.HTTP, response, bytes("HTTP/1.1 204 No Content\r\n\r\n"), response, CompletedBy.LENGTH);
		truncatesAtEveryByte(Framing.HTTP, response);
	}

	@Test
	void httpChunkedBodyEndsAfterTheLastChunkAndTrailers() throws IOException {
		byte[] chunked = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ "7\r\nMozilla\r\n11;ext=1\r\nDeveloper Network\r\n0\r\nExpires: never\r\n\r\n");
		decodesAt(Framing.HTTP, chunked, bytes("HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n"), chunked,
				CompletedBy.LENGTH);
		truncatesAtEveryByte(Framing.HTTP, chunked);
	}

	@Test
	void httpRequestWithABodyAndWithoutOne() throws IOException {
		byte[] post = bytes("POST /in HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
		decodesAt(Framing.HTTP, post, bytes("GET / HTTP/1.0\r\n\r\n"), post, CompletedBy.LENGTH);
		byte[] get = bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
		decodesAt(Framing.HTTP, get, post, get, CompletedBy.DELIMITER);
		byte[] continueThenOk = bytes("HTTP/1.1 100 Continue\r\n\r\n");
		decodesAt(Framing.HTTP, continueThenOk, bytes("HTTP/1.1 204 No Content\r\n\r\n"), continueThenOk,
				CompletedBy.DELIMITER);
	}

	@Test
	void httpResponseWithoutLengthEndsAtTheClose() throws IOException {
		byte[] response = bytes("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nto the end\r\nof the stream");
		for (int split = 0; split <= response.length; split++) {
			ScriptedInputStream in = ScriptedInputStream.of(Arrays.copyOf(response, split),
					Arrays.copyOfRange(response, split, response.length));
			Frame frame = Framing.HTTP.codec(MAX).deserialize(in);
			assertThat(frame.payload()).isEqualTo(response);
			assertThat(frame.completedBy()).isEqualTo(CompletedBy.CLOSED);
		}
		tooLarge(Framing.HTTP, 40, response);
		assertThat(Framing.HTTP.endsFramesItself()).isFalse();
	}

	@Test
	void httpOversizeAndMalformed() {
		tooLarge(Framing.HTTP, 100, bytes("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"));
		tooLarge(Framing.HTTP, 100, bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffff\r\n"));
		malformed(Framing.HTTP, bytes("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
		malformed(Framing.HTTP, bytes("HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n"));
		malformed(Framing.HTTP, bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
		malformed(Framing.HTTP, bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"));
	}

	// mqtt: MQTT 3.1.1 2.2.3 (remaining length), 3.2 (CONNACK)

	@Test
	void mqttPacketsWithOneToFourLengthBytes() throws IOException {
		byte[] connack = hex("20 02 00 00");
		decodesAt(Framing.MQTT, connack, hex("d0 00"), connack, CompletedBy.LENGTH);
		byte[] publish = concat(hex("30 c1 02"), new byte[321]);
		decodesAt(Framing.MQTT, publish, hex("c0 00"), publish, CompletedBy.LENGTH);
		truncatesAtEveryByte(Framing.MQTT, publish);
		// 16384 = 0x80 0x80 0x01: three length bytes
		byte[] big = concat(hex("30 80 80 01"), new byte[16384]);
		Frame frame = Framing.MQTT.codec(20000).deserialize(ScriptedInputStream.of(big));
		assertThat(frame.wireBytes()).isEqualTo(16388);
	}

	@Test
	void mqttLengthOverFourBytesOrTheLimitIsTooLarge() {
		tooLarge(Framing.MQTT, MAX, hex("30 ff ff ff ff 01"));
		tooLarge(Framing.MQTT, MAX, hex("30 ff ff ff 7f"));
		assertThat(Framing.MQTT.wireBytes(4)).isEqualTo(4);
	}

	// postgres: protocol-message-formats (AuthenticationOk, ReadyForQuery)

	@Test
	void postgresMessagesCountTheirOwnLength() throws IOException {
		byte[] authenticationOk = hex("52 00 00 00 08 00 00 00 00");
		decodesAt(Framing.POSTGRES, authenticationOk, hex("5a 00 00 00 05 49"), authenticationOk, CompletedBy.LENGTH);
		truncatesAtEveryByte(Framing.POSTGRES, authenticationOk);
		malformed(Framing.POSTGRES, hex("52 00 00 00 03"));
		tooLarge(Framing.POSTGRES, MAX, hex("52 7f ff ff ff"));
	}

	// modbus: Modbus Messaging on TCP/IP, MBAP header

	@Test
	void modbusAduLengthAtOffsetFour() throws IOException {
		byte[] response = hex("00 01 00 00 00 05 01 03 02 00 2a");
		decodesAt(Framing.MODBUS, response, hex("00 02 00 00 00 03 01 83 02"), response, CompletedBy.LENGTH);
		truncatesAtEveryByte(Framing.MODBUS, response);
	}

	// syslog-octet: RFC 6587 3.4.1

	@Test
	void syslogOctetCountedFrames() throws IOException {
		String message = "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed";
		byte[] frame = bytes(message.length() + " " + message);
		decodesAt(Framing.SYSLOG_OCTET, frame, bytes("3 abc"), bytes(message), CompletedBy.LENGTH);
		truncatesAtEveryByte(Framing.SYSLOG_OCTET, frame);
		assertThat(written(Framing.SYSLOG_OCTET, message)).isEqualTo(frame);
		assertThat(Framing.SYSLOG_OCTET.wireBytes(9)).isEqualTo(11);
		assertThat(Framing.SYSLOG_OCTET.wireBytes(10)).isEqualTo(13);
		tooLarge(Framing.SYSLOG_OCTET, 10, bytes("11 "));
		malformed(Framing.SYSLOG_OCTET, bytes("012 x"));
		malformed(Framing.SYSLOG_OCTET, bytes("<34>1 x"));
	}

	// dns-tcp (RFC 1035 4.2.2), kafka: as length2 and length4

	@Test
	void dnsTcpAndKafkaAreTwoAndFourByteLengthPrefixes() throws IOException {
		byte[] query = hex("ab cd 01 00 00 01 00 00 00 00 00 00 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 00 01 00 01");
		byte[] dns = concat(hex("00 1d"), query);
		decodesAt(Framing.DNS_TCP, dns, hex("00 00"), query, CompletedBy.LENGTH);
		assertThat(written(Framing.DNS_TCP, new String(query, StandardCharsets.ISO_8859_1))).isEqualTo(dns);
		byte[] kafka = concat(hex("00 00 00 03"), bytes("abc"));
		decodesAt(Framing.KAFKA, kafka, hex("00 00 00 00"), bytes("abc"), CompletedBy.LENGTH);
		assertThat(Framing.DNS_TCP.maxPayloadLength()).isEqualTo(65535);
	}

	// delimiter objects: memcached (protocol.txt) ends a get with END

	@Test
	void delimiterObjectEndsAtAnyListedSequence() throws IOException {
		Framing memcached = object(Map.of("type", "delimiter", "delimiters", List.of("\r\nEND\r\n", "ERROR\r\n")));
		byte[] value = bytes("VALUE k 0 11\r\nhello\r\nEND!\r\nEND\r\n");
		decodesAt(memcached, value, bytes("ERROR\r\n"), bytes("VALUE k 0 11\r\nhello\r\nEND!"), CompletedBy.DELIMITER);
		truncatesAtEveryByte(memcached, value);
		assertThat(written(memcached, "get k")).isEqualTo(bytes("get k\r\nEND\r\n"));
		Framing hexDelimiters = object(
				Map.of("type", "delimiter", "delimiters", List.of("0d 0a", "0a"), "delimiterEncoding", "hex"));
		decodesAt(hexDelimiters, bytes("one\r\n"), bytes("two\n"), bytes("one"), CompletedBy.DELIMITER);
		tooLarge(memcached, 5, bytes("0123456789abcdef"));
	}

	// length objects: Netty LengthFieldBasedFrameDecoder javadoc examples

	@Test
	void lengthObjectFollowsNettysExamples() throws IOException {
		byte[] hello = bytes("HELLO, WORLD");
		byte[] plain = concat(hex("00 0c"), hello);
		decodesAt(object(Map.of("type", "length", "size", 2, "strip", 0)), plain, hex("00 00"), plain,
				CompletedBy.LENGTH);
		decodesAt(object(Map.of("type", "length", "size", 2)), plain, hex("00 00"), hello, CompletedBy.LENGTH);
		byte[] countsItself = concat(hex("00 0e"), hello);
		decodesAt(object(Map.of("type", "length", "size", 2, "adjust", -2, "strip", 0)), countsItself, hex("00 02"),
				countsItself, CompletedBy.LENGTH);
		byte[] header = concat(hex("ca fe 00 00 0c"), hello);
		decodesAt(object(Map.of("type", "length", "offset", 2, "size", 3)), header, hex("00 00 00 00 00"), header,
				CompletedBy.LENGTH);
		byte[] after = concat(hex("00 00 0c ca fe"), hello);
		decodesAt(object(Map.of("type", "length", "size", 3, "adjust", 2, "strip", 0)), after, hex("00 00 00 00 00"),
				after, CompletedBy.LENGTH);
		byte[] both = concat(hex("ca 00 0c fe"), hello);
		decodesAt(object(Map.of("type", "length", "offset", 1, "size", 2, "adjust", 1, "strip", 3)), both,
				hex("00 00 00 00"), concat(hex("fe"), hello), CompletedBy.LENGTH);
		byte[] wholeCounted = concat(hex("ca 00 10 fe"), hello);
		decodesAt(object(Map.of("type", "length", "offset", 1, "size", 2, "adjust", -3, "strip", 3)), wholeCounted,
				hex("00 00 03"), concat(hex("fe"), hello), CompletedBy.LENGTH);
		truncatesAtEveryByte(object(Map.of("type", "length", "offset", 2, "size", 3)), header);
	}

	@Test
	void lengthObjectByteOrderAndSizes() throws IOException {
		byte[] hello = bytes("HELLO, WORLD");
		decodesAt(object(Map.of("type", "length", "size", 2, "order", "little")), concat(hex("0c 00"), hello),
				hex("00 00"), hello, CompletedBy.LENGTH);
		decodesAt(object(Map.of("type", "length", "size", 3, "order", "little")), concat(hex("0c 00 00"), hello),
				hex("00 00 00"), hello, CompletedBy.LENGTH);
		decodesAt(object(Map.of("type", "length", "size", 8)), concat(hex("00 00 00 00 00 00 00 0c"), hello),
				hex("00 00 00 00 00 00 00 00"), hello, CompletedBy.LENGTH);
		decodesAt(object(Map.of("type", "length", "size", 4, "order", "little")), concat(hex("0c 00 00 00"), hello),
				hex("00 00 00 00"), hello, CompletedBy.LENGTH);
		tooLarge(object(Map.of("type", "length", "size", 8)), MAX, hex("ff ff ff ff ff ff ff ff"));
		tooLarge(object(Map.of("type", "length", "size", 4, "order", "little")), MAX, hex("01 10 00 00"));
		malformed(object(Map.of("type", "length", "size", 2, "adjust", -3, "strip", 0)), hex("00 00"));
		malformed(object(Map.of("type", "length", "offset", 1, "size", 2, "strip", 9)), hex("00 00 01 41"));
	}

	@Test
	void lengthObjectWritesItsFieldOnlyAtOffsetZero() throws IOException {
		assertThat(written(object(Map.of("type", "length", "size", 2, "order", "little")), "hi"))
			.isEqualTo(hex("02 00 68 69"));
		assertThat(written(object(Map.of("type", "length", "size", 3, "adjust", -3)), "hi"))
			.isEqualTo(hex("00 00 05 68 69"));
		assertThat(written(object(Map.of("type", "length", "offset", 4, "size", 2)), "hi")).isEqualTo(bytes("hi"));
		Framing one = object(Map.of("type", "length", "size", 1, "adjust", 2));
		assertThat(one.maxPayloadLength()).isEqualTo(257);
		assertThat(one.minPayloadLength()).isEqualTo(2);
		assertThatIllegalArgumentException().isThrownBy(() -> written(one, "a"));
	}

	// varint: protobuf encoding (300 = ac 02), writeDelimitedTo

	@Test
	void varintObjectReadsProtobufDelimitedMessages() throws IOException {
		byte[] body = new byte[300];
		Arrays.fill(body, (byte) 7);
		Framing varint = object(Map.of("type", "varint"));
		decodesAt(varint, concat(hex("ac 02"), body), hex("00"), body, CompletedBy.LENGTH);
		truncatesAtEveryByte(varint, concat(hex("ac 02"), body));
		assertThat(written(varint, new String(body, StandardCharsets.ISO_8859_1))).startsWith(hex("ac 02"));
		assertThat(varint.wireBytes(127)).isEqualTo(128);
		assertThat(varint.wireBytes(128)).isEqualTo(130);
		tooLarge(varint, MAX, hex("80 80 80 80 01"));
	}

	// lines and fixed

	@Test
	void linesObjectEndsAtTheLineMatchingItsRegex() throws IOException {
		Framing stats = object(Map.of("type", "lines", "until", "^(END|ERROR)$"));
		// a bare LF is part of a crlf line: "x\nEND" does not match
		byte[] reply = bytes("STAT pid 1\r\nSTAT x\nEND\r\nEND\r\n");
		decodesAt(stats, reply, bytes("ERROR\r\n"), bytes("STAT pid 1\r\nSTAT x\nEND\r\nEND"), CompletedBy.DELIMITER);
		truncatesAtEveryByte(stats, reply);
		Framing lf = object(Map.of("type", "lines", "until", "^\\.$", "eol", "lf"));
		decodesAt(lf, bytes("a\r\nb\n.\n"), bytes(".\n"), bytes("a\r\nb\n."), CompletedBy.DELIMITER);
		assertThat(written(lf, "LIST")).isEqualTo(bytes("LIST\n"));
		tooLarge(stats, 8, bytes("0123456789\r\n"));
	}

	@Test
	void fixedObjectReadsExactlyItsSize() throws IOException {
		Framing fixed = object(Map.of("type", "fixed", "size", 4));
		decodesAt(fixed, bytes("abcd"), bytes("efgh"), bytes("abcd"), CompletedBy.LENGTH);
		truncatesAtEveryByte(fixed, bytes("abcd"));
		tooLarge(fixed, 3, bytes("abcd"));
		assertThat(written(fixed, "abcd")).isEqualTo(bytes("abcd"));
	}

	@Test
	void sendFramingOverridesOnlyTheWrite() throws IOException {
		FrameCodec codec = Framing.LENGTH2.codec(MAX, Framing.RAW);
		RecordingOutputStream out = new RecordingOutputStream();
		codec.serialize(hex("10 0c 00 04 4d 51 54 54 04 02 00 3c 00 00"), out);
		assertThat(out.toByteArray()).isEqualTo(hex("10 0c 00 04 4d 51 54 54 04 02 00 3c 00 00"));
		assertThat(codec.deserialize(ScriptedInputStream.of(hex("00 02 68 69"))).payload()).isEqualTo(bytes("hi"));
		assertThat(Framing.MQTT.codec(MAX, Framing.MQTT)).isInstanceOf(VarintCodec.class);
	}

	@Test
	void aDeclaredLengthIsNotAllocatedBeforeItsBytesArrive() {
		long before = AllocationMeter.allocatedBytes();
		assertThatExceptionOfType(TruncatedFrameException.class)
			.isThrownBy(() -> object(Map.of("type", "length", "offset", 1, "size", 4)).codec(Integer.MAX_VALUE)
				.deserialize(ScriptedInputStream.of(hex("01 7f ff ff 00"), bytes("ten bytes!"))));
		assertThatExceptionOfType(TruncatedFrameException.class).isThrownBy(() -> Framing.RESP.codec(Integer.MAX_VALUE)
			.deserialize(ScriptedInputStream.of(bytes("$2000000000\r\nten bytes!"))));
		assertThatExceptionOfType(TruncatedFrameException.class).isThrownBy(() -> Framing.HTTP.codec(Integer.MAX_VALUE)
			.deserialize(ScriptedInputStream.of(bytes("PUT / HTTP/1.1\r\nContent-Length: 2000000000\r\n\r\nx"))));
		assertThat(AllocationMeter.allocatedBytes() - before).isLessThan(1024 * 1024);
	}

}
