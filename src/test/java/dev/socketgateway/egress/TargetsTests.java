package dev.socketgateway.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.socketgateway.metrics.GatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.support.GatewayPropertiesFixture;
import dev.socketgateway.payload.Framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Targets} with a map-based resolver: no name is looked up, nothing is
 * connected.
 */
class TargetsTests {

	private static final GatewayMetrics METRICS = new GatewayMetrics(new SimpleMeterRegistry());

	private static final Map<String, List<String>> NAMES = Map.of("two.example",
			List.of("93.184.216.35", "93.184.216.34"), "mixed.example", List.of("93.184.216.34", "127.0.0.1"),
			"v6.example", List.of("2606:2800:220:1::1"), "echo.internal", List.of("127.0.0.1"), "empty.example",
			List.of(), "gateway.local", List.of("10.1.2.3"));

	private final OwnEndpoints own = new OwnEndpoints(List.of(OwnEndpointsTests.address("10.1.2.3")));

	@Test
	void nameResolvingToTwoAllowedAddressesReturnsBothInResolverOrder() {
		ResolvedTarget target = targets("gateway.policy.allow[0]=93.184.216.0/24:7")
			.resolve(new TargetRequest(null, "two.example", 7), Protocol.TCP);
		assertThat(target.addresses()).extracting(HostLiterals::toText)
			.containsExactly("93.184.216.35", "93.184.216.34");
		assertThat(target.name()).isNull();
		assertThat(target.tag()).isEqualTo("adhoc");
		assertThat(target.host()).isEqualTo("two.example");
		assertThat(target.port()).isEqualTo(7);
		assertThat(target.protocol()).isEqualTo(Protocol.TCP);
		assertThat(target.framing()).isNull();
		assertThat(target.tls()).isFalse();
		assertThat(target.tlsBundle()).isNull();
	}

	@Test
	void nameWithOneBlockedAddressIsForbidden() {
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> targets("gateway.policy.allow[0]=0.0.0.0/0")
				.resolve(new TargetRequest(null, "mixed.example", 80), Protocol.TCP))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.TARGET_FORBIDDEN))
			.withMessage("'mixed.example' resolves to 127.0.0.1 (one of its 2 addresses); 127.0.0.1:80 is a loopback"
					+ " address (127.0.0.0/8); loopback is blocked unless gateway.policy.allow names it with a rule"
					+ " inside 127.0.0.0/8 (e.g. 127.0.0.1/32:80)");
	}

	@Test
	void theCheckedAddressesAreTheOnesReturnedWithNoSecondLookup() {
		// a rebinding resolver: public first, loopback on any later lookup
		Deque<List<InetAddress>> answers = new ArrayDeque<>(List.of(List.of(OwnEndpointsTests.address("93.184.216.34")),
				List.of(OwnEndpointsTests.address("127.0.0.1"))));
		AtomicInteger lookups = new AtomicInteger();
		HostResolver rebinding = (host) -> {
			lookups.incrementAndGet();
			return answers.pop();
		};
		Targets targets = new Targets(GatewayPropertiesFixture.bind("gateway.policy.allow[0]=0.0.0.0/0"),
				policy("gateway.policy.allow[0]=0.0.0.0/0"), rebinding, this.own, METRICS);
		ResolvedTarget target = targets.resolve(new TargetRequest(null, "rebind.example", 80), Protocol.UDP);
		assertThat(target.addresses()).extracting(HostLiterals::toText).containsExactly("93.184.216.34");
		assertThat(lookups).hasValue(1);
	}

	@Test
	void unknownNameIsUnknownHostSayingWhatToCheck() {
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> targets("gateway.policy.allow[0]=0.0.0.0/0")
				.resolve(new TargetRequest(null, "nope.example", 80), Protocol.TCP))
			.satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo(ErrorCode.UNKNOWN_HOST);
				assertThat(ex.getCause()).isInstanceOf(UnknownHostException.class);
			})
			.withMessage("host 'nope.example' does not resolve: check its spelling, and that the gateway's network"
					+ " (its DNS, not yours) can resolve it");
	}

	@Test
	void nameWithoutAddressesIsUnknownHost() {
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> targets("gateway.policy.allow[0]=0.0.0.0/0")
				.resolve(new TargetRequest(null, "empty.example", 80), Protocol.TCP))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.UNKNOWN_HOST));
	}

	@Test
	void literalsAreNeverLookedUp() {
		HostResolver failing = (host) -> {
			throw new AssertionError("looked up " + host);
		};
		Targets targets = new Targets(GatewayPropertiesFixture.bind(),
				policy("gateway.policy.allow[0]=[::1]/128:7000-7999"), failing, this.own, METRICS);
		ResolvedTarget target = targets.resolve(new TargetRequest(null, "[::1]", 7000), Protocol.TCP);
		assertThat(target.host()).isEqualTo("::1");
		assertThat(target.addresses()).extracting(HostLiterals::toText).containsExactly("::1");
	}

	@Test
	void blockedLiteralIsForbiddenNamingAddressPortAndTheRuleToAdd() {
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> targets().resolve(new TargetRequest(null, "127.0.0.1", 9000), Protocol.TCP))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.TARGET_FORBIDDEN))
			.withMessage("127.0.0.1:9000 is a loopback address (127.0.0.0/8); loopback is blocked unless"
					+ " gateway.policy.allow names it with a rule inside 127.0.0.0/8 (e.g. 127.0.0.1/32:9000)");
	}

	@Test
	void mappedLiteralIsForbiddenEvenWithCatchAllRules() {
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> targets("gateway.policy.allow[0]=0.0.0.0/0", "gateway.policy.allow[1]=[::]/0",
					"gateway.policy.allow[2]=127.0.0.0/8")
				.resolve(new TargetRequest(null, "[::ffff:127.0.0.1]", 80), Protocol.TCP))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.TARGET_FORBIDDEN))
			.withMessageContaining("use the IPv4 address 127.0.0.1");
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.0.0.01" })
	void nonCanonicalLiteralIsRejectedBeforeThePolicy(String host) {
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> targets("gateway.policy.allow[0]=0.0.0.0/0", "gateway.policy.allow[1]=127.0.0.0/8")
				.resolve(new TargetRequest(null, host, 80), Protocol.TCP))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION_FAILED))
			.satisfies((ex) -> assertThat(fields(ex)).containsOnlyKeys("host"))
			.withMessageContaining("canonical dotted decimal");
	}

	@Test
	void neitherTargetNorHostAndPortNamesHostAndPort() {
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> targets().resolve(new TargetRequest(null, null, null), Protocol.TCP))
			.satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
				assertThat(fields(ex)).containsOnlyKeys("host", "port");
			})
			.withMessageContaining("host: give host and port, or the name of a configured target");
	}

	@Test
	void missingOrBadHostOrPortIsNamed() {
		Targets targets = targets();
		assertThat(validation(targets, new TargetRequest(null, "example.com", null))).containsOnlyKeys("port")
			.containsEntry("port", "is required with host");
		assertThat(validation(targets, new TargetRequest(null, null, 80))).containsOnlyKeys("host")
			.containsEntry("host", "is required with port");
		assertThat(validation(targets, new TargetRequest(null, "example.com", 0))).containsOnlyKeys("port")
			.containsEntry("port", "must be between 1 and 65535, was 0");
		assertThat(validation(targets, new TargetRequest(null, "example.com", 65536))).containsOnlyKeys("port");
		assertThat(validation(targets, new TargetRequest(null, "a b", 65536))).containsOnlyKeys("host", "port");
		assertThat(validation(targets, new TargetRequest(null, "", 80))).containsEntry("host", "must not be blank");
	}

	@Test
	void portEdgesAreAccepted() {
		Targets targets = targets("gateway.policy.allow[0]=0.0.0.0/0");
		assertThat(targets.resolve(new TargetRequest(null, "93.184.216.34", 1), Protocol.TCP).port()).isEqualTo(1);
		assertThat(targets.resolve(new TargetRequest(null, "93.184.216.34", 65535), Protocol.TCP).port())
			.isEqualTo(65535);
	}

	@Test
	void namedTargetIsAlwaysAllowedAndCarriesItsSettings() {
		Targets targets = targets("gateway.targets.echo-tcp.host=echo.internal", "gateway.targets.echo-tcp.port=9000",
				"gateway.targets.echo-tcp.framing=lf", "gateway.targets.echo-tcp.tls=true",
				"gateway.targets.echo-tcp.tls-bundle=internal");
		ResolvedTarget target = targets.resolve(new TargetRequest("echo-tcp", null, null), Protocol.TCP);
		assertThat(target.name()).isEqualTo("echo-tcp");
		assertThat(target.tag()).isEqualTo("echo-tcp");
		assertThat(target.host()).isEqualTo("echo.internal");
		assertThat(target.addresses()).extracting(HostLiterals::toText).containsExactly("127.0.0.1");
		assertThat(target.port()).isEqualTo(9000);
		assertThat(target.protocol()).isEqualTo(Protocol.TCP);
		assertThat(target.framing()).isEqualTo(Framing.LF);
		assertThat(target.tls()).isTrue();
		assertThat(target.tlsBundle()).isEqualTo("internal");
	}

	@Test
	void namedUdpTargetWithLiteralHost() {
		Targets targets = targets("gateway.targets.echo-udp.host=127.0.0.1", "gateway.targets.echo-udp.port=9001",
				"gateway.targets.echo-udp.protocol=udp", "gateway.targets.mapped.host=::ffff:10.0.0.1",
				"gateway.targets.mapped.port=7");
		ResolvedTarget udp = targets.resolve(new TargetRequest("echo-udp", null, null), Protocol.UDP);
		assertThat(udp.addresses()).extracting(HostLiterals::toText).containsExactly("127.0.0.1");
		assertThat(udp.protocol()).isEqualTo(Protocol.UDP);
		assertThat(udp.framing()).isNull();
		ResolvedTarget mapped = targets.resolve(new TargetRequest("mapped", null, null), Protocol.TCP);
		assertThat(mapped.addresses()).extracting(HostLiterals::toText).containsExactly("10.0.0.1");
	}

	@Test
	void targetTogetherWithHostOrPortNamesTarget() {
		Targets targets = targets("gateway.targets.echo-tcp.host=127.0.0.1", "gateway.targets.echo-tcp.port=9000");
		assertThat(validation(targets, new TargetRequest("echo-tcp", "127.0.0.1", null))).containsOnlyKeys("target");
		assertThat(validation(targets, new TargetRequest("echo-tcp", null, 9000))).containsOnlyKeys("target");
		assertThat(validation(targets, new TargetRequest(" ", null, null))).containsEntry("target",
				"must not be blank");
	}

	@Test
	void unknownTargetIsNotFound() {
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> targets("gateway.targets.echo-tcp.host=127.0.0.1", "gateway.targets.echo-tcp.port=9000",
					"gateway.targets.echo-udp.host=127.0.0.1", "gateway.targets.echo-udp.port=9001",
					"gateway.targets.echo-udp.protocol=udp")
				.resolve(new TargetRequest("echo", null, null), Protocol.TCP))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.TARGET_NOT_FOUND))
			.withMessage("no target named 'echo' is configured (gateway.targets); configured: echo-tcp, echo-udp");
	}

	@Test
	void targetOfTheOtherProtocolNamesTargetAndTheRightEndpoint() {
		Targets targets = targets("gateway.targets.echo-tcp.host=127.0.0.1", "gateway.targets.echo-tcp.port=9000",
				"gateway.targets.echo-udp.host=127.0.0.1", "gateway.targets.echo-udp.port=9001",
				"gateway.targets.echo-udp.protocol=UDP");
		assertThat(validation(targets, new TargetRequest("echo-udp", null, null), Protocol.TCP)).containsEntry("target",
				"target 'echo-udp' is a udp target; use /api/v1/udp/datagrams");
		assertThat(validation(targets, new TargetRequest("echo-tcp", null, null), Protocol.UDP)).containsEntry("target",
				"target 'echo-tcp' is a tcp target; use /api/v1/tcp/exchange or /api/v1/tcp/connections");
	}

	@Test
	void namedTargetThatDoesNotResolveIsUnknownHost() {
		assertThatExceptionOfType(GatewayException.class)
			.isThrownBy(() -> targets("gateway.targets.gone.host=gone.example", "gateway.targets.gone.port=1")
				.resolve(new TargetRequest("gone", null, null), Protocol.TCP))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.UNKNOWN_HOST))
			.withMessageContaining("check gateway.targets.gone.host");
	}

	@Test
	void namedTargetFramingIsAPresetOrANestedObjectAndSendFramingOverridesTheWrite() {
		Targets targets = targets("gateway.targets.modbus.host=127.0.0.1", "gateway.targets.modbus.port=502",
				"gateway.targets.modbus.framing.type=length", "gateway.targets.modbus.framing.offset=4",
				"gateway.targets.modbus.framing.size=2", "gateway.targets.broker.host=127.0.0.1",
				"gateway.targets.broker.port=1883", "gateway.targets.broker.framing=mqtt",
				"gateway.targets.broker.send-framing=raw", "gateway.targets.cache.host=127.0.0.1",
				"gateway.targets.cache.port=11211", "gateway.targets.cache.framing.type=delimiter",
				"gateway.targets.cache.framing.delimiters[0]=END", "gateway.targets.cache.framing.delimiters[1]=ERROR");
		ResolvedTarget modbus = targets.resolve(new TargetRequest("modbus", null, null), Protocol.TCP);
		assertThat(modbus.framing()).isEqualTo(Framing.fromMembers(Map.of("type", "length", "offset", 4, "size", 2)));
		assertThat(modbus.sendFraming()).isNull();
		ResolvedTarget broker = targets.resolve(new TargetRequest("broker", null, null), Protocol.TCP);
		assertThat(broker.framing()).isSameAs(Framing.MQTT);
		assertThat(broker.sendFraming()).isSameAs(Framing.RAW);
		assertThat(targets.resolve(new TargetRequest("cache", null, null), Protocol.TCP).framing().members())
			.containsEntry("delimiters", List.of("END", "ERROR"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> targets("gateway.targets.bad.host=a.example", "gateway.targets.bad.port=1",
					"gateway.targets.bad.framing.type=length"))
			.withMessageStartingWith("gateway.targets.bad.framing: framing member size is required");
	}

	@Test
	void badNamedTargetsFailAtStartUp() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> targets("gateway.targets.bad.host=127.1", "gateway.targets.bad.port=1"))
			.withMessageStartingWith("gateway.targets.bad.host: '127.1' is not a canonical IPv4 address");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> targets("gateway.targets.bad.host=a.example", "gateway.targets.bad.port=1",
					"gateway.targets.bad.protocol=sctp"))
			.withMessageStartingWith("gateway.targets.bad.protocol: unknown protocol 'sctp'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> targets("gateway.targets.bad.host=a.example", "gateway.targets.bad.port=1",
					"gateway.targets.bad.framing=null"))
			.withMessageStartingWith("gateway.targets.bad.framing: unknown framing 'null'");
	}

	@Test
	void ownHttpAndManagementPortsAreForbiddenOnOwnAddresses() {
		this.own.onApplicationEvent(OwnEndpointsTests.event(8080, null));
		this.own.onApplicationEvent(OwnEndpointsTests.event(8081, "management"));
		Targets targets = targets("gateway.policy.allow[0]=127.0.0.0/8", "gateway.policy.allow[1]=10.0.0.0/8",
				"gateway.targets.self.host=127.0.0.1", "gateway.targets.self.port=8080");
		assertThat(forbidden(targets, new TargetRequest(null, "127.0.0.1", 8080), Protocol.TCP))
			.isEqualTo("127.0.0.1:8080 is this gateway's own HTTP port;"
					+ " the gateway never connects to its own HTTP or management port");
		assertThat(forbidden(targets, new TargetRequest(null, "127.0.0.1", 8081), Protocol.TCP))
			.contains("own management port");
		assertThat(forbidden(targets, new TargetRequest(null, "10.1.2.3", 8080), Protocol.TCP))
			.startsWith("10.1.2.3:8080 is this gateway's own HTTP port");
		assertThat(forbidden(targets, new TargetRequest(null, "gateway.local", 8081), Protocol.TCP))
			.startsWith("'gateway.local' resolves to 10.1.2.3; 10.1.2.3:8081 is this gateway's own management port");
		assertThat(forbidden(targets, new TargetRequest("self", null, null), Protocol.TCP))
			.startsWith("target 'self': 127.0.0.1:8080 is this gateway's own HTTP port");
		assertThat(targets.resolve(new TargetRequest(null, "127.0.0.1", 9000), Protocol.TCP).port()).isEqualTo(9000);
		assertThat(targets.resolve(new TargetRequest(null, "10.1.2.4", 8080), Protocol.TCP).port()).isEqualTo(8080);
		assertThat(targets.resolve(new TargetRequest(null, "127.0.0.1", 8080), Protocol.UDP).port()).isEqualTo(8080);
	}

	@Test
	void ipv6NameAllowedByBracketRule() {
		ResolvedTarget target = targets("gateway.policy.allow[0]=[2606:2800:220::]/48:443")
			.resolve(new TargetRequest(null, "v6.example", 443), Protocol.TCP);
		assertThat(target.addresses()).extracting((address) -> HostLiterals.toText(address, target.port()))
			.containsExactly("[2606:2800:220:1::1]:443");
	}

	private Targets targets(String... properties) {
		return new Targets(GatewayPropertiesFixture.bind(properties), policy(properties), TargetsTests::resolve,
				this.own, METRICS);
	}

	private static List<InetAddress> resolve(String host) throws UnknownHostException {
		List<String> addresses = NAMES.get(host);
		if (addresses == null) {
			throw new UnknownHostException(host + ": Name or service not known");
		}
		return addresses.stream().map(OwnEndpointsTests::address).toList();
	}

	private static TargetPolicy policy(String... properties) {
		GatewayProperties.Policy policy = GatewayPropertiesFixture.bind(properties).policy();
		return TargetPolicy.of(policy.allow(), policy.deny());
	}

	private static String forbidden(Targets targets, TargetRequest request, Protocol protocol) {
		try {
			targets.resolve(request, protocol);
		}
		catch (GatewayException ex) {
			assertThat(ex.code()).isEqualTo(ErrorCode.TARGET_FORBIDDEN);
			return ex.getMessage();
		}
		throw new AssertionError("not forbidden: " + request);
	}

	private static Map<String, String> validation(Targets targets, TargetRequest request) {
		return validation(targets, request, Protocol.TCP);
	}

	private static Map<String, String> validation(Targets targets, TargetRequest request, Protocol protocol) {
		try {
			targets.resolve(request, protocol);
		}
		catch (GatewayException ex) {
			assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
			Map<String, String> fields = fields(ex);
			fields.forEach((field, message) -> assertThat(ex.getMessage()).contains(field + ": " + message));
			return fields;
		}
		throw new AssertionError("no validation error: " + request);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> fields(GatewayException ex) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (Map<String, Object> error : (List<Map<String, Object>>) ex.properties().get("errors")) {
			fields.put((String) error.get("field"), (String) error.get("message"));
		}
		return fields;
	}

}
