package dev.socketgateway.tcp;

import org.springframework.test.context.TestPropertySource;

/**
 * The pool eviction tests again, on the {@code direct} pool engine.
 */
@TestPropertySource(properties = "gateway.pool.engine=direct")
class DirectEnginePoolEvictionTests extends PoolEvictionTests {

}
