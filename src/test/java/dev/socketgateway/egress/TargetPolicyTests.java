package dev.socketgateway.egress;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TargetPolicy}: the policy is called directly, nothing is connected.
 */
class TargetPolicyTests {

	/**
	 * Allow and deny rules are space-separated; {@code rejected} means the host never
	 * gets to the policy because it is not a canonical literal.
	 */
	@ParameterizedTest(name = "[{index}] allow={0} deny={1} {2} port {3} -> {4}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "-",
			textBlock = """
					# allow                          | deny                      | address             | port  | outcome  | reason contains
					-                                | -                         | 127.0.0.1           | 9000  | denied   | 127.0.0.1:9000 is a loopback address (127.0.0.0/8); loopback is blocked unless gateway.policy.allow names it with a rule inside 127.0.0.0/8 (e.g. 127.0.0.1/32:9000)
					127.0.0.1/32:9000                | -                         | 127.0.0.1           | 9000  | allowed  | -
					127.0.0.1/32:9000                | -                         | 127.0.0.1           | 9001  | denied   | loopback
					127.0.0.1/32:9000                | -                         | 127.0.0.1           | 8999  | denied   | loopback
					127.0.0.1/32:9000                | -                         | 127.0.0.2           | 9000  | denied   | loopback
					127.0.0.1                        | -                         | 127.0.0.1           | 65535 | allowed  | -
					127.0.0.0/8                      | -                         | 127.255.255.254     | 80    | allowed  | -
					0.0.0.0/0                        | -                         | 127.0.0.1           | 9000  | denied   | loopback is blocked
					126.0.0.0/7                      | -                         | 127.0.0.1           | 80    | denied   | loopback is blocked
					126.0.0.0/7                      | -                         | 126.0.0.1           | 80    | allowed  | -
					-                                | -                         | 93.184.216.34       | 443   | denied   | 93.184.216.34:443 is not allowed: no gateway.policy.allow rule names it (by default no ad-hoc target is allowed; add e.g. 93.184.216.34/32:443, or use a configured target)
					0.0.0.0/0                        | -                         | 93.184.216.34       | 443   | allowed  | -
					93.184.216.0/24:443              | -                         | 93.184.216.34       | 443   | allowed  | -
					93.184.216.0/24:443              | -                         | 93.184.216.34       | 444   | denied   | not allowed
					93.184.216.0/24:443              | -                         | 93.184.217.34       | 443   | denied   | not allowed
					93.184.216.0/24:443              | -                         | 93.184.215.255      | 443   | denied   | not allowed
					0.0.0.0/0                        | -                         | 0.0.0.0             | 80    | denied   | 0.0.0.0:80 is an unspecified ('this network') address (0.0.0.0/8)
					0.0.0.0/0                        | -                         | 0.255.255.255       | 80    | denied   | this network is blocked
					0.0.0.0/0                        | -                         | 1.0.0.0             | 80    | allowed  | -
					0.0.0.0/0                        | -                         | 169.254.169.254     | 80    | denied   | 169.254.169.254:80 is a link-local address (169.254.0.0/16, which includes the cloud metadata service 169.254.169.254); link-local is blocked
					169.254.169.254/32:80            | -                         | 169.254.169.254     | 80    | allowed  | -
					0.0.0.0/0                        | -                         | 9.255.255.255       | 22    | allowed  | -
					0.0.0.0/0                        | -                         | 10.0.0.0            | 22    | denied   | a private address (10.0.0.0/8); private ranges are blocked
					0.0.0.0/0                        | -                         | 10.255.255.255      | 22    | denied   | private ranges are blocked
					0.0.0.0/0                        | -                         | 11.0.0.0            | 22    | allowed  | -
					10.0.0.0/8                       | -                         | 10.255.255.255      | 22    | allowed  | -
					0.0.0.0/0                        | -                         | 172.15.255.255      | 80    | allowed  | -
					0.0.0.0/0                        | -                         | 172.16.0.0          | 80    | denied   | (172.16.0.0/12)
					0.0.0.0/0                        | -                         | 172.31.255.255      | 80    | denied   | (172.16.0.0/12)
					0.0.0.0/0                        | -                         | 172.32.0.0          | 80    | allowed  | -
					172.16.0.0/12                    | -                         | 172.16.0.0          | 80    | allowed  | -
					172.16.0.0/12                    | -                         | 172.31.255.255      | 80    | allowed  | -
					172.16.0.0/12                    | -                         | 172.32.0.0          | 80    | denied   | not allowed
					172.16.0.0/12                    | -                         | 172.15.255.255      | 80    | denied   | not allowed
					172.0.0.0/8                      | -                         | 172.16.0.1          | 80    | denied   | private ranges are blocked
					0.0.0.0/0                        | -                         | 192.168.1.1         | 80    | denied   | (192.168.0.0/16)
					192.168.0.0/16:8080              | -                         | 192.168.1.1         | 8080  | allowed  | -
					0.0.0.0/0                        | -                         | 100.63.255.255      | 80    | allowed  | -
					0.0.0.0/0                        | -                         | 100.64.0.0          | 80    | denied   | a carrier-grade NAT address (100.64.0.0/10)
					0.0.0.0/0                        | -                         | 100.127.255.255     | 80    | denied   | carrier-grade NAT
					0.0.0.0/0                        | -                         | 100.128.0.0         | 80    | allowed  | -
					0.0.0.0/0                        | -                         | 192.0.0.8           | 80    | denied   | (192.0.0.0/24)
					0.0.0.0/0                        | -                         | 198.18.0.1          | 80    | denied   | a benchmarking address (198.18.0.0/15)
					0.0.0.0/0                        | -                         | 198.19.255.255      | 80    | denied   | benchmarking
					0.0.0.0/0                        | -                         | 198.20.0.0          | 80    | allowed  | -
					0.0.0.0/0                        | -                         | 223.255.255.255     | 80    | allowed  | -
					0.0.0.0/0                        | -                         | 224.0.0.1           | 80    | denied   | a multicast address (224.0.0.0/4)
					0.0.0.0/0                        | -                         | 240.0.0.1           | 80    | denied   | a reserved address (240.0.0.0/4
					0.0.0.0/0                        | -                         | 255.255.255.255     | 80    | denied   | broadcast 255.255.255.255
					[::]/0                           | -                         | ::1                 | 7000  | denied   | [::1]:7000 is a loopback address ([::1]/128); loopback is blocked unless gateway.policy.allow names it with a rule inside [::1]/128 (e.g. [::1]/128:7000)
					[::1]/128:7000-7999              | -                         | ::1                 | 7000  | allowed  | -
					[::1]/128:7000-7999              | -                         | ::1                 | 7999  | allowed  | -
					[::1]/128:7000-7999              | -                         | ::1                 | 6999  | denied   | loopback
					[::1]/128:7000-7999              | -                         | ::1                 | 8000  | denied   | loopback
					[::1]                            | -                         | 0:0:0:0:0:0:0:1     | 1     | allowed  | -
					[::]/0                           | -                         | ::                  | 80    | denied   | the unspecified address
					[::]/0                           | -                         | fc00::1             | 80    | denied   | unique local
					[::]/0                           | -                         | fd00::1             | 80    | denied   | [fd00::1]:80 is a unique local (private) address ([fc00::]/7)
					[fd00::]/8                       | -                         | fd00::1             | 80    | allowed  | -
					[fd00::]/8                       | -                         | fdff:ffff::1        | 80    | allowed  | -
					[fd00::]/8                       | -                         | fc00::1             | 80    | denied   | unique local
					[::]/0                           | -                         | fe80::1             | 80    | denied   | a link-local address ([fe80::]/10)
					[::]/0                           | -                         | fec0::1             | 80    | denied   | site-local
					[::]/0                           | -                         | ff02::1             | 80    | denied   | a multicast address ([ff00::]/8)
					[::]/0 0.0.0.0/0 127.0.0.0/8     | -                         | ::ffff:127.0.0.1    | 80    | denied   | [::ffff:127.0.0.1]:80 is an IPv4-mapped IPv6 address ([::ffff:0:0]/96), which is always refused: use the IPv4 address 127.0.0.1 instead
					[::]/0 0.0.0.0/0                 | -                         | ::ffff:8.8.8.8      | 53    | denied   | always refused: use the IPv4 address 8.8.8.8 instead
					[::]/0                           | -                         | 64:ff9b::808:808    | 53    | denied   | a NAT64 address ([64:ff9b::]/96), which is always refused: use the IPv4 address 8.8.8.8 instead
					[::]/0                           | -                         | 64:ff9b:1::1        | 53    | denied   | a local-use NAT64 address
					[::]/0                           | -                         | 2002:7f00:1::1      | 80    | denied   | a 6to4 address ([2002::]/16), which is always refused: use the IPv4 address 127.0.0.1 instead
					[::]/0                           | -                         | ::127.0.0.1         | 80    | denied   | an IPv4-compatible IPv6 address
					[::]/0                           | -                         | ::2                 | 80    | denied   | always refused
					[::]/0                           | -                         | 2606:2800:220:1::1  | 443   | allowed  | -
					-                                | -                         | 2606:2800:220:1::1  | 443   | denied   | [2606:2800:220:1::1]:443 is not allowed: no gateway.policy.allow rule names it (by default no ad-hoc target is allowed; add e.g. [2606:2800:220:1::1]/128:443
					[2606:2800:220::]/48:400-500     | -                         | 2606:2800:220:1::1  | 500   | allowed  | -
					[2606:2800:220::]/48:400-500     | -                         | 2606:2800:221::1    | 450   | denied   | not allowed
					[::]/0                           | -                         | 93.184.216.34       | 443   | denied   | not allowed
					0.0.0.0/0                        | [::]/0                    | 93.184.216.34       | 443   | allowed  | -
					0.0.0.0/0                        | 93.184.216.34/32          | 93.184.216.34       | 443   | denied   | 93.184.216.34:443 matches gateway.policy.deny rule '93.184.216.34/32'
					93.184.216.0/24:443              | 93.184.216.34             | 93.184.216.34       | 443   | denied   | deny rule
					127.0.0.1/32:9000                | 127.0.0.0/8               | 127.0.0.1           | 9000  | denied   | matches gateway.policy.deny rule '127.0.0.0/8'
					[::1]/128                        | [::1]/128:7000            | ::1                 | 7000  | denied   | deny rule
					0.0.0.0/0                        | 93.184.216.0/24:400-500   | 93.184.216.34       | 400   | denied   | deny rule
					0.0.0.0/0                        | 93.184.216.0/24:400-500   | 93.184.216.34       | 500   | denied   | deny rule
					0.0.0.0/0                        | 93.184.216.0/24:400-500   | 93.184.216.34       | 399   | allowed  | -
					0.0.0.0/0                        | 93.184.216.0/24:400-500   | 93.184.216.34       | 501   | allowed  | -
					10.0.0.0/8:5000-5999             | -                         | 10.0.0.1            | 5000  | allowed  | -
					10.0.0.0/8:5000-5999             | -                         | 10.0.0.1            | 5999  | allowed  | -
					10.0.0.0/8:5000-5999             | -                         | 10.0.0.1            | 4999  | denied   | private
					10.0.0.0/8:5000-5999             | -                         | 10.0.0.1            | 6000  | denied   | private
					0.0.0.0/0:1-65535                | -                         | 8.8.8.8             | 65535 | allowed  | -
					0.0.0.0/0:1                      | -                         | 8.8.8.8             | 1     | allowed  | -
					0.0.0.0/0:1                      | -                         | 8.8.8.8             | 2     | denied   | not allowed
					0.0.0.0/0 127.0.0.0/8            | -                         | 127.1               | 80    | rejected | -
					0.0.0.0/0 127.0.0.0/8            | -                         | 2130706433          | 80    | rejected | -
					0.0.0.0/0 127.0.0.0/8            | -                         | 0177.0.0.1          | 80    | rejected | -
					0.0.0.0/0 127.0.0.0/8            | -                         | 0x7f.0.0.1          | 80    | rejected | -
					0.0.0.0/0 127.0.0.0/8            | -                         | 127.0.0.01          | 80    | rejected | -
					0.0.0.0/0                        | -                         | 1.2.3.4.5           | 80    | rejected | -
					0.0.0.0/0                        | -                         | 256.1.1.1           | 80    | rejected | -
					""")
	void policyTable(@Nullable String allow, @Nullable String deny, String host, int port, String outcome,
			@Nullable String reason) {
		TargetPolicy policy = TargetPolicy.of(rules(allow), rules(deny));
		if (outcome.equals("rejected")) {
			assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> HostLiterals.parseLiteral(host))
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION_FAILED))
				.withMessageStartingWith("host: ")
				.withMessageContaining("canonical dotted decimal");
			return;
		}
		InetAddress address = HostLiterals.parseLiteral(host);
		assertThat(address).isNotNull();
		TargetPolicy.Decision decision = policy.check(address, port);
		assertThat(decision.allowed()).as("allowed").isEqualTo(outcome.equals("allowed"));
		if (decision.allowed()) {
			assertThat(decision).isSameAs(TargetPolicy.Decision.ALLOWED);
		}
		else {
			assertThat(decision.reason()).contains(reason);
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			10.0.0.0/33              | prefix length 33 is outside 0-32
			[::1]/129                | prefix length 129 is outside 0-128
			10.0.0.1/8               | the address has bits set beyond the /8 prefix (did you mean 10.0.0.0/8?)
			[fd00::1]/8              | (did you mean [fd00::]/8?)
			10.0.0.0/8:0             | port 0 is outside 1-65535
			10.0.0.0/8:65536         | port 65536 is outside 1-65535
			10.0.0.0/8:9000-8000     | port range 9000-8000 is empty
			10.0.0.0/8:80-           | port '' is not a number
			10.0.0.0/8:-80           | port '' is not a number
			10.0.0.0/8:http          | port 'http' is not a number
			10.0.0.0/8:1-2-3         | port '2-3' is not a number
			10.0.0.0/x               | prefix length 'x' is not a number
			10.0.0.0/                | prefix length '' is not a number
			fd00::/8                 | an IPv6 address goes in brackets
			[fd00::/8                | lacks its closing ']'
			[fd00::]x/8              | an IPv6 address goes in brackets
			example.com/32           | rules take addresses, not host names
			127.1/32                 | is not a canonical IPv4 address
			0177.0.0.1               | is not a canonical IPv4 address
			[127.0.0.1]/32           | is not a valid IPv6 address
			[fe80::1%eth0]/128       | zone id
			[::ffff:0:0]/96          | lies in [::ffff:0:0]/96, which is always refused: write the IPv4 rule instead
			[::ffff:127.0.0.1]       | always refused
			[2002::]/16:80           | lies in [2002::]/16
			[64:ff9b::]/96           | lies in [64:ff9b::]/96
			10.0.0.0 /8              | is not a canonical IPv4 address
			""")
	void badRulesFailAtStartUpNamingTheRuleAndWhy(String rule, String why) {
		assertThatIllegalArgumentException().isThrownBy(() -> TargetPolicy.of(List.of("0.0.0.0/0", rule), List.of()))
			.withMessageStartingWith("gateway.policy.allow[1] '" + rule + "' is not a valid rule: ")
			.withMessageContaining(why);
		assertThatIllegalArgumentException().isThrownBy(() -> TargetPolicy.of(List.of(), List.of(rule)))
			.withMessageStartingWith("gateway.policy.deny[0] '" + rule + "'");
	}

	@Test
	void emptyRuleIsBad() {
		assertThatIllegalArgumentException().isThrownBy(() -> TargetPolicy.of(List.of(" "), List.of()))
			.withMessageContaining("gateway.policy.allow[0] ' ' is not a valid rule: it is empty");
	}

	@Test
	void rulesAreTrimmedAndKept() {
		TargetPolicy policy = TargetPolicy.of(List.of(" 10.0.0.0/8:5000 ", "[::1]"), List.of("10.0.0.5"));
		assertThat(policy.allowRules()).containsExactly("10.0.0.0/8:5000", "[::1]");
		assertThat(policy.denyRules()).containsExactly("10.0.0.5");
		assertThat(policy.check(HostLiterals.parseLiteral("10.0.0.4"), 5000).allowed()).isTrue();
		assertThat(policy.check(HostLiterals.parseLiteral("10.0.0.5"), 5000).allowed()).isFalse();
	}

	@Test
	void noRulesAllowNothing() {
		TargetPolicy policy = TargetPolicy.of(List.of(), List.of());
		for (String host : List.of("8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "127.0.0.1", "::1")) {
			assertThat(policy.check(HostLiterals.parseLiteral(host), 53).allowed()).as(host).isFalse();
		}
	}

	@Test
	void everyBlockedRangeIsOpenedByExactlyItsOwnRule() {
		List<String> ranges = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
				"172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
				"[::]/128", "[::1]/128", "[fe80::]/10", "[fec0::]/10", "[fc00::]/7", "[ff00::]/8");
		for (String range : ranges) {
			String network = range.substring(0, range.indexOf('/')).replace("[", "").replace("]", "");
			InetAddress address = HostLiterals.parseLiteral(network);
			assertThat(TargetPolicy.of(List.of("0.0.0.0/0", "[::]/0"), List.of()).check(address, 80).allowed())
				.as("%s closed by the catch-all rules", range)
				.isFalse();
			assertThat(TargetPolicy.of(List.of(range), List.of()).check(address, 80).allowed())
				.as("%s opened by its own rule", range)
				.isTrue();
		}
	}

	private static List<String> rules(@Nullable String rules) {
		return (rules != null) ? Arrays.asList(rules.trim().split("\\s+")) : List.of();
	}

}
