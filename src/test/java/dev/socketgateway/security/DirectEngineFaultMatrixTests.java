package dev.socketgateway.security;

import org.springframework.test.context.TestPropertySource;

/**
 * The whole fault matrix again on the {@code direct} pool engine, whose reads and writes
 * are bounded by a deadline that closes the socket rather than by socket timeouts.
 */
@TestPropertySource(properties = "gateway.pool.engine=direct")
class DirectEngineFaultMatrixTests extends FaultMatrixTests {

}
