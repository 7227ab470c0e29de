package dev.socketgateway.egress;

import java.io.File;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests for host and rule parsing: they fail only with the documented exceptions.
 * <p>
 * {@code mvn verify} runs the regression inputs in {@code TargetFuzzTestsInputs/};
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 * <p>
 * Jazzer's agent stays in the test JVM once installed. Left to its defaults it
 * retransforms every project class, which breaks Boot's constructor binding of
 * configuration records in later tests, and its SSRF sanitizer would hook later socket
 * tests. So only the two parsers are instrumented and hooked.
 */
class TargetFuzzTests {

	private static final String FUZZED = String.join(File.pathSeparator, HostLiterals.class.getName(),
			TargetPolicy.class.getName(), TargetPolicy.class.getName() + "$*");

	private static final TargetPolicy OPEN = TargetPolicy.of(List.of("0.0.0.0/0", "[::]/0"), List.of());

	@BeforeAll
	static void instrumentOnlyTheParsers() {
		System.setProperty("jazzer.instrumentation_includes", FUZZED);
		System.setProperty("jazzer.custom_hook_includes", FUZZED);
	}

	@FuzzTest(maxDuration = "30s")
	void hostParsing(byte[] data) {
		String host = new String(data, StandardCharsets.UTF_8);
		InetAddress address;
		try {
			address = HostLiterals.parseLiteral(host);
		}
		catch (GatewayException ex) {
			assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
			assertThat(ex.getMessage()).startsWith("host: ");
			return;
		}
		if (address != null) {
			// printing and parsing again gives the same address, and the policy never
			// throws
			InetAddress again = HostLiterals.parseLiteral(HostLiterals.toText(address));
			assertThat(again).isNotNull();
			assertThat(again.getAddress()).isEqualTo(address.getAddress());
			assertThat(OPEN.check(address, 80)).isNotNull();
		}
	}

	@FuzzTest(maxDuration = "30s")
	void ruleParsing(byte[] data) {
		String rule = new String(data, StandardCharsets.UTF_8);
		TargetPolicy policy;
		try {
			policy = TargetPolicy.of(List.of(rule), List.of(rule));
		}
		catch (IllegalArgumentException ex) {
			assertThat(ex.getMessage()).startsWith("gateway.policy.allow[0] ");
			return;
		}
		for (String host : List.of("127.0.0.1", "10.1.2.3", "93.184.216.34", "::1", "fd00::1", "2606:2800:220:1::1")) {
			TargetPolicy.Decision decision = policy.check(HostLiterals.parseLiteral(host), 443);
			// the rule is also a deny rule, and deny wins
			assertThat(decision.allowed()).isFalse();
			assertThat(decision.reason()).isNotBlank();
		}
	}

}
