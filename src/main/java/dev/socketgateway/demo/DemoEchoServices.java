package dev.socketgateway.demo;

import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.integration.ip.dsl.Tcp;
import org.springframework.integration.ip.dsl.Udp;
import org.springframework.integration.ip.tcp.connection.TcpNioServerConnectionFactory;
import org.springframework.integration.ip.udp.inbound.UnicastReceivingChannelAdapter;

import dev.socketgateway.GatewayProperties;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.FrameCodec;
import dev.socketgateway.payload.Framing;

/**
 * Profile {@code demo}: a TCP line echo and a UDP echo on loopback, the peers of the
 * README's curl examples, built from Spring Integration inbound adapters.
 *
 * <p>
 * The beans are registered by a {@link BeanRegistrar} that reads the active profiles when
 * the context starts, not by {@code @Profile}: with Spring AOT
 * ({@code -Dspring.aot.enabled=true}, as the container image runs) conditions are
 * evaluated once at build time, while a registrar still runs at run time. Public, as its
 * registrar: Spring AOT's generated code (package {@code dev.socketgateway}) instantiates
 * the registrar.
 */
@Configuration(proxyBeanMethods = false)
@Import(DemoEchoServices.Registrar.class)
public class DemoEchoServices {

	DemoEchoServices() {
	}

	/** The profile that starts the echo services. */
	static final String PROFILE = "demo";

	private static final String LOOPBACK = "127.0.0.1";

	/**
	 * Registers the echo services when profile {@code demo} is active.
	 */
	public static final class Registrar implements BeanRegistrar {

		@Override
		public void register(BeanRegistry registry, Environment env) {
			if (!env.matchesProfiles(PROFILE)) {
				return;
			}
			registry.registerBean("demoTcpServer", TcpNioServerConnectionFactory.class,
					(spec) -> spec.supplier((context) -> tcpServer(context.bean(GatewayProperties.class))));
			registry.registerBean("demoTcpEcho", IntegrationFlow.class, (spec) -> spec
				.supplier((context) -> tcpEcho(context.bean("demoTcpServer", TcpNioServerConnectionFactory.class))));
			registry.registerBean("demoUdpInbound", UnicastReceivingChannelAdapter.class,
					(spec) -> spec.supplier((context) -> udpInbound(context.bean(GatewayProperties.class))));
			registry.registerBean("demoUdpEcho", IntegrationFlow.class, (spec) -> spec
				.supplier((context) -> udpEcho(context.bean("demoUdpInbound", UnicastReceivingChannelAdapter.class))));
			registry.registerBean("demoEchoHealthIndicator", HealthIndicator.class,
					(spec) -> spec.supplier(
							(context) -> health(context.bean("demoTcpServer", TcpNioServerConnectionFactory.class),
									context.bean("demoUdpInbound", UnicastReceivingChannelAdapter.class),
									context.bean(GatewayProperties.class))));
		}

	}

	static TcpNioServerConnectionFactory tcpServer(GatewayProperties properties) {
		FrameCodec codec = Framing.CRLF.codec(properties.limits().frameLimit());
		return Tcp.nioServer(properties.demo().tcpPort())
			.localAddress(LOOPBACK)
			.serializer(codec)
			.deserializer(codec)
			.soTcpNoDelay(true)
			.getObject();
	}

	static IntegrationFlow tcpEcho(TcpNioServerConnectionFactory demoTcpServer) {
		return IntegrationFlow.from(Tcp.inboundGateway(demoTcpServer)).transform(Frame.class, Frame::payload).get();
	}

	static UnicastReceivingChannelAdapter udpInbound(GatewayProperties properties) {
		return Udp.inboundAdapter(properties.demo().udpPort()).localAddress(LOOPBACK).getObject();
	}

	static IntegrationFlow udpEcho(UnicastReceivingChannelAdapter demoUdpInbound) {
		// Answer from the bound socket, so the reply comes from the port the client sent
		// to.
		return IntegrationFlow.from(demoUdpInbound)
			.handle(Udp.outboundAdapter((m) -> m.getHeaders().get(IpHeaders.PACKET_ADDRESS))
				.socketFunction((m) -> demoUdpInbound.getSocket()))
			.get();
	}

	/**
	 * Health component {@code demoEcho}: DOWN when a demo port could not be bound (say,
	 * 9000 is taken), so the README's examples would fail.
	 */
	static HealthIndicator health(TcpNioServerConnectionFactory demoTcpServer,
			UnicastReceivingChannelAdapter demoUdpInbound, GatewayProperties properties) {
		return () -> {
			boolean tcp = demoTcpServer.isListening();
			boolean udp = demoUdpInbound.isRunning() && demoUdpInbound.getSocket() != null
					&& demoUdpInbound.getSocket().isBound();
			Health.Builder builder = (tcp && udp) ? Health.up() : Health.down();
			return builder
				.withDetail("tcp",
						LOOPBACK + ":" + properties.demo().tcpPort()
								+ (tcp ? " listening" : " not listening: is the port taken? set gateway.demo.tcp-port"))
				.withDetail("udp",
						LOOPBACK + ":" + properties.demo().udpPort()
								+ (udp ? " bound" : " not bound: is the port taken? set gateway.demo.udp-port"))
				.build();
		};
	}

}
