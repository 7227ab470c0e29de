package dev.socketgateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Entry point of socket-gateway, an HTTP/JSON front door to raw TCP and UDP sockets.
 * Boot's in-memory user (a generated password, logged at every start) is left out: API
 * keys are checked by the gateway's own filter ({@code web.ApiKeySecurity}).
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class SocketGatewayApplication {

	public static void main(String[] args) {
		SpringApplication.run(SocketGatewayApplication.class, args);
	}

}
