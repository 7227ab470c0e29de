package dev.socketgateway.bench;

import org.springframework.boot.SpringApplication;

import dev.socketgateway.SocketGatewayApplication;

/**
 * The gateway as bench/run measures it: the application plus the benchmark's trivial
 * endpoint and targets (profile {@code bench}, {@code application-bench.yml}), both kept
 * in test scope so that the shipped jar carries no benchmark code. bench/run starts it
 * with the test class path.
 */
public final class BenchGateway {

	private BenchGateway() {
	}

	public static void main(String[] args) {
		SpringApplication.from(SocketGatewayApplication::main)
			.withAdditionalProfiles(BenchController.PROFILE)
			.run(args);
	}

}
