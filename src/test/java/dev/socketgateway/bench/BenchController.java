package dev.socketgateway.bench;

import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/bench/noop}: the benchmark's trivial endpoint. It goes through the
 * same filters, JSON parsing and validation as an exchange and answers a small JSON, but
 * touches no socket, so the gateway's figures can be given as a ratio to it. Test scope
 * only: {@link BenchGateway} runs the gateway with it (profile {@code bench}).
 */
@RestController
@Profile(BenchController.PROFILE)
class BenchController {

	/** The profile that adds the endpoint. */
	static final String PROFILE = "bench";

	@PostMapping(path = "/api/v1/bench/noop", consumes = MediaType.APPLICATION_JSON_VALUE)
	NoopResponse noop(@Valid @RequestBody NoopRequest request) {
		String payload = request.payload();
		return new NoopResponse(true, (payload != null) ? payload.length() : 0);
	}

	/**
	 * The fields the benchmark's exchange and datagram bodies carry.
	 *
	 * @param target a target name
	 * @param payload the payload
	 * @param awaitReply ignored
	 */
	record NoopRequest(@Nullable String target, @Nullable String payload, @Nullable Boolean awaitReply) {
	}

	/**
	 * The answer.
	 *
	 * @param ok always true
	 * @param length the payload's length in characters
	 */
	record NoopResponse(boolean ok, int length) {
	}

}
