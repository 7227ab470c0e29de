package dev.socketgateway.demo;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.integration.ip.dsl.Tcp;
import org.springframework.integration.ip.dsl.Udp;
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
	IntegrationFlow demoTcpEcho(GatewayProperties properties) {
		FrameCodec codec = Framing.CRLF.codec(properties.limits().frameLimit());
		return IntegrationFlow.from(Tcp.inboundGateway(Tcp.nioServer(properties.demo().tcpPort())
			.localAddress(LOOPBACK)
			.serializer(codec)
			.deserializer(codec)
			.soTcpNoDelay(true))).transform(Frame.class, Frame::payload).get();
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

}
