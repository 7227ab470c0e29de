package dev.socketgateway.tcp;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.socketgateway.GatewayProperties;
import dev.socketgateway.support.GatewayPropertiesFixture;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.support.TcpPeer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle eviction running flat out while one request after another checks the same pooled
 * connection out: no request may see a failure or a reply missing a byte.
 */
class ExchangePoolsEvictionRaceTests {

	@Test
	void evictionNeverTouchesAConnectionARequestHoldsOrItsBytes() throws Exception {
		GatewayProperties properties = GatewayPropertiesFixture.bind();
		ExchangePools pools = new ExchangePools(new GatewayMetrics(new SimpleMeterRegistry()), properties);
		try (TcpPeer echo = TcpPeer.echo()) {
			ExchangePools.PoolKey key = new ExchangePools.PoolKey("", InetAddress.getLoopbackAddress(), echo.port(),
					Framing.CRLF, null, "", "adhoc");
			AtomicBoolean done = new AtomicBoolean();
			AtomicReference<Throwable> evictorFailure = new AtomicReference<>();
			Thread evictor = new Thread(() -> {
				try {
					while (!done.get()) {
						pools.evictIdle();
					}
				}
				catch (Throwable ex) {
					evictorFailure.set(ex);
				}
			}, "evictor");
			evictor.start();
			try {
				long until = System.nanoTime() + 5_000_000_000L;
				for (int i = 0; i < 20_000 && System.nanoTime() < until; i++) {
					String message = "message-" + i;
					Frame reply = pools.exchange(key, message.getBytes(StandardCharsets.US_ASCII), 5000,
							new ConnectContext(5000, null, ""), "127.0.0.1:" + echo.port());
					assertThat(new String(reply.payload(), StandardCharsets.US_ASCII)).as("exchange " + i)
						.isEqualTo(message);
				}
			}
			finally {
				done.set(true);
				evictor.join();
				pools.destroy();
			}
			assertThat(evictorFailure.get()).isNull();
		}
	}

}
