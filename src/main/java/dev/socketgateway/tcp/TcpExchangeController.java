package dev.socketgateway.tcp;

import java.io.IOException;
import java.security.Principal;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.payload.PayloadCodec;
import dev.socketgateway.egress.Protocol;
import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.egress.TargetRequest;
import dev.socketgateway.egress.Targets;
import dev.socketgateway.upstream.TlsClients;

/**
 * {@code POST /api/v1/tcp/exchange}: JSON, or raw bytes with the options as query
 * parameters.
 */
@RestController
@RequestMapping("/api/v1/tcp")
public class TcpExchangeController {

	private static final MediaType OCTETS = MediaType.APPLICATION_OCTET_STREAM;

	private final TcpExchangeService exchanges;

	private final Targets targets;

	private final PayloadCodec payloads;

	private final TlsClients tls;

	private final GatewayProperties properties;

	TcpExchangeController(TcpExchangeService exchanges, Targets targets, PayloadCodec payloads, TlsClients tls,
			GatewayProperties properties) {
		this.exchanges = exchanges;
		this.targets = targets;
		this.payloads = payloads;
		this.tls = tls;
		this.properties = properties;
	}

	@Operation(summary = "Send one message over TCP and read one reply")
	@PostMapping(path = "/exchange", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Nullable ExchangeResponse exchange(@Valid @RequestBody ExchangeRequest request, HttpServletRequest http,
			HttpServletResponse response) throws IOException {
		byte[] payload = this.payloads.decode(request.payload(), request.encoding());
		ExchangeResult result = run(request, payload, caller(http));
		return respond(result, request.encoding(), request.replyEncoding(), http, response);
	}

	/**
	 * The JSON exchange without HTTP around it, for the MCP tool {@code tcp_exchange}:
	 * the same decoding, target resolution, policy, limits, audit and metrics. The caller
	 * validates the request first, as {@code @Valid} does here.
	 * @param request the request body
	 * @return the JSON answer
	 */
	public ExchangeResponse exchange(ExchangeRequest request) {
		byte[] payload = this.payloads.decode(request.payload(), request.encoding());
		return json(run(request, payload, callerOfThisThread()), request.encoding(), request.replyEncoding());
	}

	@Operation(summary = "Send the request body as one message over TCP and read one reply",
			description = "Options as query parameters; with Accept: application/octet-stream the reply comes back as raw bytes with X-Completed-By, X-Bytes-Sent, X-Bytes-Received and X-Duration-Ms headers")
	@PostMapping(path = "/exchange", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
	@Nullable ExchangeResponse exchangeBytes(@RequestBody(required = false) byte @Nullable [] body,
			@Parameter(description = "named target") @RequestParam(required = false) @Nullable String target,
			@RequestParam(required = false) @Nullable String host,
			@RequestParam(required = false) @Nullable Integer port,
			@RequestParam(required = false) @Nullable Framing framing,
			@RequestParam(required = false) @Nullable Boolean awaitReply,
			@RequestParam(required = false) @Nullable Encoding replyEncoding,
			@RequestParam(required = false) @Nullable Integer connectTimeoutMs,
			@RequestParam(required = false) @Nullable Integer replyTimeoutMs,
			@RequestParam(required = false) @Nullable Integer idleMs,
			@RequestParam(required = false) @Nullable Integer maxReplyBytes,
			@RequestParam(required = false) @Nullable Boolean tls,
			@RequestParam(required = false) @Nullable Framing sendFraming,
			@RequestParam(required = false) @Nullable Boolean pool, HttpServletRequest http,
			HttpServletResponse response) throws IOException {
		byte[] payload = (body != null) ? body : new byte[0];
		this.payloads.checkSize(payload.length);
		ExchangeRequest request = new ExchangeRequest(target, host, port, null, Encoding.BASE64, framing, awaitReply,
				replyEncoding, connectTimeoutMs, replyTimeoutMs, idleMs, maxReplyBytes, tls, sendFraming, pool);
		checkRange("connectTimeoutMs", connectTimeoutMs, 120_000);
		checkRange("replyTimeoutMs", replyTimeoutMs, 600_000);
		checkRange("idleMs", idleMs, 600_000);
		checkRange("maxReplyBytes", maxReplyBytes, Integer.MAX_VALUE);
		ExchangeResult result = run(request, payload, caller(http));
		return respond(result, Encoding.BASE64, replyEncoding, http, response);
	}

	private ExchangeResult run(ExchangeRequest request, byte @Nullable [] payload, String caller) {
		boolean awaitReply = !Boolean.FALSE.equals(request.awaitReply());
		if (!awaitReply && payload == null) {
			throw GatewayException.invalidField("awaitReply",
					"awaitReply false without a payload would do nothing: send a payload or await a reply");
		}
		ResolvedTarget target = this.targets
			.resolve(new TargetRequest(request.target(), request.host(), request.port()), Protocol.TCP);
		Framing framing = (request.framing() != null) ? request.framing()
				: (target.framing() != null) ? target.framing() : Framing.CRLF;
		// the target's send framing goes with the target's framing, not with one the
		// request picks
		Framing sendFraming = (request.sendFraming() != null) ? request.sendFraming()
				: (request.framing() == null) ? target.sendFraming() : null;
		checkFrameLength((sendFraming != null) ? sendFraming : framing, payload);
		boolean useTls = target.tls() || Boolean.TRUE.equals(request.tls());
		String bundle = useTls ? this.tls.effectiveBundle(target.tlsBundle()) : null;
		int frameLimit = this.properties.limits().frameLimit();
		int maxReplyBytes = (request.maxReplyBytes() != null) ? Math.min(request.maxReplyBytes(), frameLimit)
				: frameLimit;
		int connectTimeout = (request.connectTimeoutMs() != null) ? request.connectTimeoutMs()
				: (int) this.properties.timeouts().connect().toMillis();
		int replyTimeout = (request.replyTimeoutMs() != null) ? request.replyTimeoutMs()
				: (int) this.properties.timeouts().reply().toMillis();
		int idle = (request.idleMs() != null) ? request.idleMs() : 200;
		boolean pool = target.pool() && !Boolean.FALSE.equals(request.pool());
		return this.exchanges.exchange(new ExchangeCommand(target, payload, framing, awaitReply, connectTimeout,
				replyTimeout, idle, maxReplyBytes, useTls, bundle, sendFraming, caller, pool));
	}

	/**
	 * The authenticated API key id: one caller's pooled connection never serves another.
	 */
	private static String caller(HttpServletRequest http) {
		Principal principal = http.getUserPrincipal();
		return (principal != null) ? principal.getName() : "";
	}

	/**
	 * The same for a call without its HTTP request at hand (the MCP tool, on the
	 * request's thread): the key the API-key filter authenticated, none when the API is
	 * open.
	 */
	private static String callerOfThisThread() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return (authentication != null && authentication.isAuthenticated()
				&& !(authentication instanceof AnonymousAuthenticationToken)) ? authentication.getName() : "";
	}

	/**
	 * The answer: JSON by default, the reply's raw bytes when the caller accepts
	 * {@code application/octet-stream} (written here; nothing is returned then). A plain
	 * body rather than a {@code ResponseEntity}: Spring MVC's {@code ResponseEntity} path
	 * costs several microseconds more per request (docs/benchmarks.md).
	 */
	private @Nullable ExchangeResponse respond(ExchangeResult result, @Nullable Encoding requestEncoding,
			@Nullable Encoding replyEncoding, HttpServletRequest http, HttpServletResponse response)
			throws IOException {
		Frame reply = result.reply();
		if (wantsOctets(http)) {
			byte[] body = (reply != null) ? reply.payload() : new byte[0];
			response.setContentType(OCTETS.toString());
			response.setHeader("X-Completed-By", result.completedBy().value());
			response.setHeader("X-Bytes-Sent", Long.toString(result.bytesSent()));
			response.setHeader("X-Bytes-Received", Long.toString(result.bytesReceived()));
			response.setHeader("X-Duration-Ms", Long.toString(result.durationMs()));
			response.setContentLength(body.length);
			response.getOutputStream().write(body);
			return null;
		}
		return json(result, requestEncoding, replyEncoding);
	}

	private ExchangeResponse json(ExchangeResult result, @Nullable Encoding requestEncoding,
			@Nullable Encoding replyEncoding) {
		Frame reply = result.reply();
		return new ExchangeResponse(
				(reply != null) ? this.payloads.encode(reply.payload(), requestEncoding, replyEncoding) : null,
				result.completedBy(), result.bytesSent(), result.bytesReceived(), result.connectMs(),
				result.durationMs(), result.remote());
	}

	private static boolean wantsOctets(HttpServletRequest http) {
		String accept = http.getHeader(HttpHeaders.ACCEPT);
		if (accept == null) {
			return false;
		}
		List<MediaType> types = MediaType.parseMediaTypes(accept);
		MimeTypeUtils.sortBySpecificity(types);
		for (MediaType type : types) {
			if (type.isCompatibleWith(OCTETS) && !type.isWildcardType()) {
				return true;
			}
			if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
				return false;
			}
		}
		return false;
	}

	private static void checkFrameLength(Framing framing, byte @Nullable [] payload) {
		if (payload != null && payload.length > framing.maxPayloadLength()) {
			throw GatewayException.invalidField("payload", "is " + payload.length + " bytes; " + framing.value()
					+ " framing carries at most " + framing.maxPayloadLength() + " bytes");
		}
	}

	private static void checkRange(String field, @Nullable Integer value, int max) {
		if (value != null && (value < 1 || value > max)) {
			throw GatewayException.invalidField(field, "must be between 1 and " + max);
		}
	}

}
