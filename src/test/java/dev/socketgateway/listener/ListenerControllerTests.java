package dev.socketgateway.listener;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.buffer.MessageStreams;
import dev.socketgateway.egress.Targets;
import dev.socketgateway.payload.PayloadCodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The listener API's request checks and problem answers, without sockets: the MVC slice
 * with the service mocked (filters, API keys included, are the end-to-end tests' job).
 */
@WebMvcTest(ListenerController.class)
@AutoConfigureMockMvc(addFilters = false)
@EnableConfigurationProperties(GatewayProperties.class)
class ListenerControllerTests {

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	ListenerService listeners;

	@MockitoBean
	MessageStreams streams;

	@MockitoBean
	PayloadCodec payloads;

	@MockitoBean
	Targets targets;

	@Test
	void unknownModeIs400BeforeTheServiceIsAsked() {
		assertThat(this.mvc.post()
			.uri("/api/v1/listeners")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"protocol\":\"tcp\",\"mode\":\"mirror\"}")).hasStatus(400)
			.bodyJson()
			.extractingPath("$.code")
			.isEqualTo("VALIDATION_FAILED");
		verifyNoInteractions(this.listeners);
	}

	@Test
	void framingOnAUdpListenerIs400NamingFraming() {
		assertThat(this.mvc.post()
			.uri("/api/v1/listeners")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"protocol\":\"udp\",\"framing\":\"lf\"}")).hasStatus(400).bodyText().contains("framing");
		verifyNoInteractions(this.listeners);
	}

	@Test
	void unknownListenerIs404WithItsCode() {
		given(this.listeners.get("nope"))
			.willThrow(new GatewayException(ErrorCode.LISTENER_NOT_FOUND, "no listener 'nope'"));
		assertThat(this.mvc.get().uri("/api/v1/listeners/nope")).hasStatus(404)
			.bodyJson()
			.extractingPath("$.code")
			.isEqualTo("LISTENER_NOT_FOUND");
	}

	@Test
	void foreignCursorIs400() {
		assertThat(this.mvc.get().uri("/api/v1/listeners?cursor=not-ours")).hasStatus(400)
			.bodyJson()
			.extractingPath("$.code")
			.isEqualTo("VALIDATION_FAILED");
		verifyNoInteractions(this.listeners);
	}

}
