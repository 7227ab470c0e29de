package dev.socketgateway.udp;

import java.net.InetSocketAddress;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.ip.dsl.Udp;
import org.springframework.messaging.MessageChannel;

/**
 * The fire-and-forget UDP flow: one Spring Integration outbound adapter whose destination
 * comes from a message header.
 */
@Configuration(proxyBeanMethods = false)
class UdpFlows {

	/** Header carrying the checked destination address. */
	static final String DESTINATION = "sg_udpDestination";

	@Bean
	FireGateway udpFire() {
		return new FireGateway(new DirectChannel());
	}

	@Bean
	IntegrationFlow udpFireFlow(FireGateway fire) {
		return IntegrationFlow.from(fire.channel())
			.handle(Udp.outboundAdapter((m) -> m.getHeaders().get(DESTINATION, InetSocketAddress.class)))
			.get();
	}

	/**
	 * The channel the fire flow reads.
	 *
	 * @param channel the input channel
	 */
	record FireGateway(MessageChannel channel) {
	}

}
