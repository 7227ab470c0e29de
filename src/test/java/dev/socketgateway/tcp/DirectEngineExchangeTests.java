package dev.socketgateway.tcp;

import org.springframework.test.context.TestPropertySource;

/**
 * Every end-to-end exchange test again, on the {@code direct} pool engine.
 */
@TestPropertySource(properties = "gateway.pool.engine=direct")
class DirectEngineExchangeTests extends TcpExchangeTests {

}
