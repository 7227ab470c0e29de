package dev.socketgateway.security;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * Every TLS exchange test again on the {@code direct} pool engine, whose deadline closes
 * the channel under the TLS socket.
 */
@TestPropertySource(properties = "gateway.pool.engine=direct")
class DirectEngineTlsExchangeTests extends TlsExchangeTests {

	/**
	 * The superclass's resolver: nested test configurations are not inherited.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class DirectEngineNames extends Names {

	}

}
