package dev.socketgateway.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link HostLiterals}: no name is ever looked up.
 */
class HostLiteralsTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			127.0.0.1          | 127.0.0.1
			0.0.0.0            | 0.0.0.0
			255.255.255.255    | 255.255.255.255
			93.184.216.34      | 93.184.216.34
			10.0.0.10          | 10.0.0.10
			""")
	void canonicalIpv4IsAnAddress(String host, String expected) {
		InetAddress address = HostLiterals.parseLiteral(host);
		assertThat(address).isInstanceOf(Inet4Address.class);
		assertThat(HostLiterals.toText(address)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			::1                                     | ::1
			[::1]                                   | ::1
			0:0:0:0:0:0:0:1                         | ::1
			0000:0000:0000:0000:0000:0000:0000:0001 | ::1
			::                                      | ::
			[::]                                    | ::
			2001:DB8::7                             | 2001:db8::7
			2001:db8:0:0:1:0:0:1                    | 2001:db8::1:0:0:1
			2001:db8::1:0:0:0:1                     | 2001:db8:0:1::1
			2001:db8:0:1:1:1:1:1                    | 2001:db8:0:1:1:1:1:1
			1:2:3:4:5:6:7::                         | 1:2:3:4:5:6:7:0
			::2:3:4:5:6:7:8                         | 0:2:3:4:5:6:7:8
			fe80::1                                 | fe80::1
			64:ff9b::8.8.8.8                        | 64:ff9b::808:808
			::127.0.0.1                             | ::7f00:1
			1:2:3:4:5:6:1.2.3.4                     | 1:2:3:4:5:6:102:304
			""")
	void ipv6InAnyRfc4291SpellingIsAnAddress(String host, String expected) {
		InetAddress address = HostLiterals.parseLiteral(host);
		assertThat(address).isInstanceOf(Inet6Address.class);
		assertThat(HostLiterals.toText(address)).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "::ffff:127.0.0.1", "[::ffff:127.0.0.1]", "::FFFF:7f00:1", "0:0:0:0:0:ffff:7f00:1" })
	void ipv4MappedStaysIpv6SoThePolicyCanRefuseIt(String host) {
		InetAddress address = HostLiterals.parseLiteral(host);
		assertThat(address).isInstanceOf(Inet6Address.class);
		assertThat(HostLiterals.toText(address)).isEqualTo("::ffff:127.0.0.1");
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.0.0.01", "1.2.3.4.5", "256.1.1.1",
			"0x7f000001", "0X7F.1", "017700000001", "127.0.0.1.", "127..0.1", "1.2.3", "00.0.0.0", "1.2.3.256",
			"99999.0.0.1", "0x" })
	void nonCanonicalIpv4IsRejectedNotResolved(String host) {
		assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> HostLiterals.parseLiteral(host))
			.satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
				assertThat(ex.getMessage()).startsWith("host: ").contains("canonical dotted decimal");
				assertThat(ex.properties()).isEqualTo(Map.of("errors",
						List.of(Map.of("field", "host", "message", ex.getMessage().substring("host: ".length())))));
			});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			fe80::1%eth0        | zone id
			[fe80::1%25eth0]    | zone id
			fe80::1%1           | zone id
			1::2::3             | not a valid IPv6 address
			:::1                | not a valid IPv6 address
			1:2:3:4:5:6:7:8:9   | not a valid IPv6 address
			1:2:3:4:5:6:7       | not a valid IPv6 address
			1:2:3:4::5:6:7:8    | not a valid IPv6 address
			12345::1            | not a valid IPv6 address
			::g                 | not a valid IPv6 address
			:1::                | not a valid IPv6 address
			1::2:               | not a valid IPv6 address
			::ffff:127.1        | not a valid IPv6 address
			::ffff:127.0.0.01   | not a valid IPv6 address
			1.2.3.4::           | not a valid IPv6 address
			::1.2.3.4:5         | not a valid IPv6 address
			[127.0.0.1]         | brackets are only for IPv6
			[example.com]       | brackets are only for IPv6
			[::1]:80            | bracketed IPv6
			[::1                | bracketed IPv6
			[]                  | bracketed IPv6
			example.com:80      | give the port in 'port'
			""")
	void badIpv6AndZoneIdsAreRejected(String host, String message) {
		assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> HostLiterals.parseLiteral(host))
			.satisfies((ex) -> assertThat(ex.getMessage()).startsWith("host: ").contains(message));
	}

	@ParameterizedTest
	@ValueSource(strings = { "example.com", "EXAMPLE.com.", "localhost", "a", "xn--bcher-kva.example", "my_service",
			"project_web_1", "1e5", "cafe.be", "deadbeef", "10.0.0.1.nip.io", "a-b.c-d", "7f.0.0.1", "123.example" })
	void hostNamesAreNotLiterals(String host) {
		assertThat(HostLiterals.parseLiteral(host)).isNull();
	}

	@Test
	void longestHostNameIsAccepted() {
		String label = "a".repeat(63);
		String name = label + "." + label + "." + label + "." + "a".repeat(61);
		assertThat(name).hasSize(253);
		assertThat(HostLiterals.parseLiteral(name)).isNull();
		assertThat(HostLiterals.parseLiteral(name + ".")).isNull();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			"a b"           | a space at position 1
			"a..b"          | empty label
			".a"            | empty label
			"."             | 1 to 253 characters
			"-a.example"    | starts or ends with '-'
			"a-.example"    | starts or ends with '-'
			"bücher.de"     | xn-- form
			"a/b"           | '/' at position 1
			"a%b"           | '%' at position 1
			" example.com"  | a space at position 0
			"example.com "  | a space at position 11
			"a\tb"          | U+0009
			""")
	void badHostNamesAreRejected(String host, String message) {
		String unescaped = host.replace("\\t", "\t");
		assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> HostLiterals.parseLiteral(unescaped))
			.satisfies((ex) -> assertThat(ex.getMessage()).startsWith("host: ").contains(message));
	}

	@Test
	void overlongNamesAndLabelsAreRejected() {
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> HostLiterals.parseLiteral("a".repeat(64) + ".example"))
			.withMessageContaining("longer than 63");
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> HostLiterals.parseLiteral(("a".repeat(50) + ".").repeat(4) + "a".repeat(50)))
			.withMessageContaining("1 to 253 characters");
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> HostLiterals.parseLiteral("a".repeat(100_000)))
			.withMessageContaining("longer than 253");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "\t" })
	void blankHostsAreRejected(String host) {
		assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> HostLiterals.parseLiteral(host))
			.withMessage("host: must not be blank");
	}

	@Test
	void addressesAndPortsPrintAsTheApiDoes() {
		assertThat(HostLiterals.toText(HostLiterals.parseLiteral("127.0.0.1"), 9000)).isEqualTo("127.0.0.1:9000");
		assertThat(HostLiterals.toText(HostLiterals.parseLiteral("0:0:0:0:0:0:0:1"), 7000)).isEqualTo("[::1]:7000");
		assertThat(HostLiterals.toText(HostLiterals.parseLiteral("::ffff:10.1.2.3"), 1))
			.isEqualTo("[::ffff:10.1.2.3]:1");
	}

	@Test
	void unbracketedStripsOnlyIpv6Brackets() {
		assertThat(HostLiterals.unbracketed("[::1]")).isEqualTo("::1");
		assertThat(HostLiterals.unbracketed("::1")).isEqualTo("::1");
		assertThat(HostLiterals.unbracketed("example.com")).isEqualTo("example.com");
	}

}
