package dev.socketgateway.udp;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.payload.EncodedPayload;
import dev.socketgateway.payload.PayloadCodec;
import dev.socketgateway.egress.Protocol;
import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.egress.TargetRequest;
import dev.socketgateway.egress.Targets;

/**
 * {@code POST /api/v1/udp/datagrams}.
 */
@RestController
@RequestMapping("/api/v1/udp")
public class DatagramController {

	private final DatagramService datagrams;

	private final Targets targets;

	private final PayloadCodec payloads;

	private final GatewayProperties properties;

	DatagramController(DatagramService datagrams, Targets targets, PayloadCodec payloads,
			GatewayProperties properties) {
		this.datagrams = datagrams;
		this.targets = targets;
		this.payloads = payloads;
		this.properties = properties;
	}

	@Operation(summary = "Send one UDP datagram; optionally wait for one reply")
	@PostMapping("/datagrams")
	DatagramReply send(@Valid @RequestBody DatagramRequest request, HttpServletResponse response) {
		DatagramReply reply = send(request);
		if (reply.reply() == null) {
			// a plain body, not a ResponseEntity: Spring MVC's ResponseEntity path costs
			// several microseconds more per request (docs/benchmarks.md)
			response.setStatus(HttpStatus.ACCEPTED.value());
		}
		return reply;
	}

	/**
	 * The datagram without HTTP around it, for the MCP tool {@code udp_send}: the same
	 * checks, target resolution, policy, audit and metrics. The caller validates the
	 * request first, as {@code @Valid} does here.
	 * @param request the request body
	 * @return the answer (202 on REST when it carries no reply)
	 */
	public DatagramReply send(DatagramRequest request) {
		if (request.payload() == null) {
			throw GatewayException.invalidField("payload", "is required for a datagram (\"\" sends an empty one)");
		}
		byte[] payload = this.payloads.decode(request.payload(), request.encoding());
		if (payload.length > 65_507) {
			throw GatewayException.invalidField("payload",
					"is " + payload.length + " bytes; a UDP datagram carries at most 65507");
		}
		ResolvedTarget target = this.targets
			.resolve(new TargetRequest(request.target(), request.host(), request.port()), Protocol.UDP);
		if (!Boolean.TRUE.equals(request.awaitReply())) {
			this.datagrams.fire(target, payload);
			return new DatagramReply(payload.length, null, null);
		}
		int timeout = (request.replyTimeoutMs() != null) ? request.replyTimeoutMs()
				: (int) this.properties.timeouts().udpReply().toMillis();
		boolean anyPort = "host".equals(request.replyFrom());
		if (request.replyFrom() != null && !anyPort && !"port".equals(request.replyFrom())) {
			throw dev.socketgateway.GatewayException.invalidField("replyFrom",
					"must be port (the target's address and port) or host (any port of its address)");
		}
		DatagramService.Received received = this.datagrams.request(target, payload, timeout, anyPort);
		EncodedPayload reply = this.payloads.encode(received.payload(), request.encoding(), request.replyEncoding());
		return new DatagramReply(payload.length,
				new DatagramReply.Reply(reply.payload(), reply.encoding(), received.from()), received.durationMs());
	}

}
