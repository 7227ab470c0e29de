package dev.socketgateway.session;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.socketgateway.GatewayProperties;
import dev.socketgateway.buffer.MessageBuffer;
import dev.socketgateway.buffer.LongPolls;
import dev.socketgateway.buffer.MessageStreams;
import dev.socketgateway.buffer.ReceivedMessage;
import dev.socketgateway.registry.Cursors;
import dev.socketgateway.registry.Registry;
import dev.socketgateway.web.Timestamps;
import dev.socketgateway.payload.EncodedPayload;
import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.payload.PayloadCodec;
import dev.socketgateway.payload.Payloads;
import dev.socketgateway.payload.QuietJoiner;
import dev.socketgateway.session.SessionApi.MessagePage;
import dev.socketgateway.session.SessionApi.MessageView;
import dev.socketgateway.session.SessionApi.OpenRequest;
import dev.socketgateway.session.SessionApi.Reply;
import dev.socketgateway.session.SessionApi.SendRequest;
import dev.socketgateway.session.SessionApi.Sent;
import dev.socketgateway.session.SessionApi.SentWithReply;
import dev.socketgateway.session.SessionApi.SessionPage;
import dev.socketgateway.session.SessionApi.SessionView;
import dev.socketgateway.egress.Protocol;
import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.egress.TargetRequest;
import dev.socketgateway.egress.Targets;
import dev.socketgateway.upstream.TlsClients;

/**
 * {@code /api/v1/tcp/connections}: persistent TCP connections, their messages and their
 * event streams.
 */
@RestController
@RequestMapping("/api/v1/tcp/connections")
public class SessionController {

	static final int MAX_WAIT_MS = 30_000;

	static final int MAX_PAGE = 1000;

	private final SessionService sessions;

	private final Targets targets;

	private final PayloadCodec payloads;

	private final MessageStreams streams;

	private final LongPolls longPolls;

	private final GatewayProperties properties;

	private final TlsClients tlsClients;

	SessionController(SessionService sessions, Targets targets, PayloadCodec payloads, MessageStreams streams,
			GatewayProperties properties, TlsClients tlsClients, LongPolls longPolls) {
		this.sessions = sessions;
		this.targets = targets;
		this.payloads = payloads;
		this.streams = streams;
		this.longPolls = longPolls;
		this.properties = properties;
		this.tlsClients = tlsClients;
	}

	@Operation(summary = "Open a persistent TCP connection")
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	public ResponseEntity<SessionView> open(@Valid @RequestBody OpenRequest request) {
		ResolvedTarget target = this.targets
			.resolve(new TargetRequest(request.target(), request.host(), request.port()), Protocol.TCP);
		boolean useTls = target.tls() || Boolean.TRUE.equals(request.tls());
		SSLSocketFactory tls = useTls
				? this.tlsClients.socketFactory(this.tlsClients.effectiveBundle(target.tlsBundle())) : null;
		Framing framing = (request.framing() != null) ? request.framing()
				: (target.framing() != null) ? target.framing() : Framing.CRLF;
		int connectTimeout = (request.connectTimeoutMs() != null) ? request.connectTimeoutMs()
				: (int) this.properties.timeouts().connect().toMillis();
		long idle = (request.idleTimeoutMs() != null) ? request.idleTimeoutMs()
				: this.properties.limits().connectionIdleTimeout().toMillis();
		Framing sendFraming = (request.sendFraming() != null) ? request.sendFraming()
				: (request.framing() == null) ? target.sendFraming() : null;
		int idleMs = (request.idleMs() != null) ? request.idleMs() : QuietJoiner.DEFAULT_IDLE_MS;
		Session session = this.sessions.open(target, framing, sendFraming, connectTimeout, idle, idleMs, tls);
		return ResponseEntity.created(URI.create("/api/v1/tcp/connections/" + session.id)).body(view(session));
	}

	@Operation(summary = "List sessions in opening order")
	@GetMapping
	SessionPage list(@RequestParam(defaultValue = "100") @Min(1) long limit,
			@RequestParam(required = false) @Nullable String state,
			@RequestParam(required = false) @Nullable String cursor) {
		Registry.Page<Session> page = this.sessions.page(Cursors.decode(cursor), (int) Math.min(limit, MAX_PAGE),
				Cursors.state(state));
		return new SessionPage(page.items().stream().map(SessionController::view).toList(),
				(page.next() != null) ? Cursors.encode(page.next()) : null);
	}

	@Operation(summary = "Describe one session")
	@GetMapping("/{id}")
	public SessionView get(@PathVariable String id) {
		return view(this.sessions.get(id));
	}

	@Operation(summary = "Close a session")
	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	public void delete(@PathVariable String id) {
		this.sessions.delete(this.sessions.get(id));
	}

	@Operation(summary = "Send one message; optionally wait for the next received message")
	@PostMapping(path = "/{id}/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
	public ResponseEntity<?> send(@PathVariable String id, @Valid @RequestBody SendRequest request) {
		Session session = this.sessions.get(id);
		byte[] payload = this.payloads.decode(request.payload(), request.encoding());
		boolean await = Boolean.TRUE.equals(request.awaitReply());
		long replyTimeout = !await ? -1 : (request.replyTimeoutMs() != null) ? request.replyTimeoutMs()
				: this.properties.timeouts().reply().toMillis();
		SessionService.SendResult result = this.sessions.send(session, payload, replyTimeout);
		ReceivedMessage reply = result.reply();
		if (reply == null) {
			return ResponseEntity.accepted().body(new Sent(result.seq()));
		}
		EncodedPayload encoded = this.payloads.encode(reply.payload(), request.encoding(), null);
		return ResponseEntity.ok(new SentWithReply(result.seq(),
				new Reply(reply.seq(), encoded.payload(), encoded.encoding()), result.durationMs()));
	}

	@Operation(summary = "Read received messages; long-polls up to waitMs")
	@GetMapping("/{id}/messages")
	public DeferredResult<MessagePage> messages(@PathVariable String id,
			@RequestParam(defaultValue = "0") @Min(0) long after, @RequestParam(defaultValue = "0") @Min(0) long waitMs,
			@RequestParam(defaultValue = "100") @Min(1) long max,
			@RequestParam(required = false) @Nullable Encoding encoding) {
		Session session = this.sessions.get(id);
		long wait = Math.min(waitMs, MAX_WAIT_MS);
		return this.longPolls.poll(session.buffer, after, (int) Math.min(max, MAX_PAGE), wait, (slice) -> {
			List<MessageView> messages = slice.messages().stream().map((m) -> render(m, encoding)).toList();
			return new MessagePage(messages, slice.next(), slice.dropped());
		});
	}

	@Operation(summary = "Stream received messages as server-sent events")
	@GetMapping(path = "/{id}/messages/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@PathVariable String id, @RequestParam(required = false) @Min(0) @Nullable Long after,
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
			@RequestParam(required = false) @Nullable Encoding encoding) {
		Session session = this.sessions.get(id);
		return this.streams.stream(session.buffer, after, lastEventId, (m) -> render(m, encoding));
	}

	static MessageView render(ReceivedMessage message, @Nullable Encoding encoding) {
		EncodedPayload encoded = Payloads.encode(message.payload(), (encoding != null) ? encoding : Encoding.UTF8);
		return new MessageView(message.seq(), Timestamps.format(message.at()), encoded.payload(), encoded.encoding());
	}

	static SessionView view(Session session) {
		QuietJoiner joiner = session.joiner;
		return new SessionView(session.id, session.remote, session.local, session.framing,
				(joiner != null) ? joiner.idleMs() : null, session.isOpen() ? "open" : "closed", session.closedReason,
				session.bytesSent.get(), session.bytesReceived.get(), session.messagesSent.get(),
				session.messagesReceived.get(), Timestamps.format(session.openedAt),
				Timestamps.format(session.lastActivityAt()));
	}

}
