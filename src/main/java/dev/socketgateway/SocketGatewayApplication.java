package dev.socketgateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Entry point of socket-gateway, an HTTP/JSON front door to raw TCP and UDP sockets.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class SocketGatewayApplication {

	public static void main(String[] args) {
		SpringApplication.run(SocketGatewayApplication.class, args);
	}

}
