package dev.socketgateway.demo;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
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
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoEchoServices {

	private static final String LOOPBACK = "127.0.0.1";

	@Bean
	TcpNioServerConnectionFactory demoTcpServer(GatewayProperties properties) {
		FrameCodec codec = Framing.CRLF.codec(properties.limits().frameLimit());
		return Tcp.nioServer(properties.demo().tcpPort())
			.localAddress(LOOPBACK)
			.serializer(codec)
			.deserializer(codec)
			.soTcpNoDelay(true)
			.getObject();
	}

	@Bean
	IntegrationFlow demoTcpEcho(TcpNioServerConnectionFactory demoTcpServer) {
		return IntegrationFlow.from(Tcp.inboundGateway(demoTcpServer)).transform(Frame.class, Frame::payload).get();
	}

	@Bean
	UnicastReceivingChannelAdapter demoUdpInbound(GatewayProperties properties) {
		return Udp.inboundAdapter(properties.demo().udpPort()).localAddress(LOOPBACK).getObject();
	}

	@Bean
	IntegrationFlow demoUdpEcho(UnicastReceivingChannelAdapter demoUdpInbound) {
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
	@Bean
	HealthIndicator demoEchoHealthIndicator(TcpNioServerConnectionFactory demoTcpServer,
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
