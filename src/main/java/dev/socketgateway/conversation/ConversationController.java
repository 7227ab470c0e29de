package dev.socketgateway.conversation;

import io.swagger.v3.oas.annotations.Operation;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.socketgateway.InflightLimiter;
import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.egress.Targets;
import dev.socketgateway.metrics.AuditLog;

/**
 * {@code POST /api/v1/conversations}: several steps over one connection, answered 200
 * whatever the steps did, once the request passed validation, policy and limits.
 */
@RestController
@RequestMapping("/api/v1/conversations")
class ConversationController {

	private final ConversationCompiler compiler;

	private final ConversationRunner runner;

	private final Targets targets;

	private final InflightLimiter inflight;

	private final AuditLog audit;

	ConversationController(ConversationCompiler compiler, ConversationRunner runner, Targets targets,
			InflightLimiter inflight, AuditLog audit) {
		this.compiler = compiler;
		this.runner = runner;
		this.targets = targets;
		this.inflight = inflight;
		this.audit = audit;
	}

	@Operation(summary = "Run send/expect steps over one TCP or UDP connection",
			description = "200 with ok, failedStep and every step's outcome once the request passed validation, policy and limits")
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ConversationResult run(@RequestBody ConversationRequest request) {
		Conversation conversation = this.compiler.compile(request, ConversationCompiler.DEFAULT_TIMEOUT_MS);
		ResolvedTarget target = this.targets.resolve(conversation.target(), conversation.protocol());
		ConversationResult result;
		try (InflightLimiter.Permit permit = this.inflight.acquire()) {
			result = this.runner.run(conversation, target, conversation.timeoutMs());
		}
		this.audit.record("conversation", target.tag(), result.remote(), result.bytesSent(), result.bytesReceived(),
				(result.error() != null) ? result.error().code() : "ok", result.durationMs());
		return result;
	}

}
