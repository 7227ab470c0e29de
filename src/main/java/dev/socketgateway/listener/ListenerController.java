package dev.socketgateway.listener;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
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

import dev.socketgateway.GatewayException;
import dev.socketgateway.listener.ListenerApi.CreateRequest;
import dev.socketgateway.listener.ListenerApi.ListenerPage;
import dev.socketgateway.listener.ListenerApi.ListenerView;
import dev.socketgateway.listener.ListenerApi.MessagePage;
import dev.socketgateway.listener.ListenerApi.MessageView;
import dev.socketgateway.listener.ListenerApi.RecordingView;
import dev.socketgateway.listener.rules.Recording;
import dev.socketgateway.listener.rules.RuleBook;
import dev.socketgateway.listener.ListenerApi.SendRequest;
import dev.socketgateway.listener.ListenerApi.Sent;
import dev.socketgateway.payload.EncodedPayload;
import dev.socketgateway.payload.Encoding;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.payload.QuietJoiner;
import dev.socketgateway.payload.PayloadCodec;
import dev.socketgateway.payload.Payloads;
import dev.socketgateway.registry.Cursors;
import dev.socketgateway.registry.Registry;
import dev.socketgateway.buffer.MessageBuffer;
import dev.socketgateway.buffer.LongPolls;
import dev.socketgateway.buffer.MessageStreams;
import dev.socketgateway.buffer.ReceivedMessage;
import dev.socketgateway.web.Timestamps;
import dev.socketgateway.egress.HostLiterals;
import dev.socketgateway.egress.Protocol;
import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.egress.TargetRequest;
import dev.socketgateway.egress.Targets;

/**
 * {@code /api/v1/listeners}: TCP and UDP servers whose clients the caller reads and
 * answers over HTTP.
 */
@RestController
@RequestMapping("/api/v1/listeners")
public class ListenerController {

	private static final int MAX_WAIT_MS = 30_000;

	private static final int MAX_PAGE = 1000;

	/** Largest UDP payload over IPv4. */
	private static final int MAX_DATAGRAM = 65_507;

	private final ListenerService listeners;

	private final PayloadCodec payloads;

	private final MessageStreams streams;

	private final Targets targets;

	private final LongPolls longPolls;

	ListenerController(ListenerService listeners, PayloadCodec payloads, MessageStreams streams, Targets targets,
			LongPolls longPolls) {
		this.listeners = listeners;
		this.payloads = payloads;
		this.streams = streams;
		this.targets = targets;
		this.longPolls = longPolls;
	}

	@Operation(summary = "Start a TCP or UDP listener")
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	public ResponseEntity<ListenerView> create(@Valid @RequestBody CreateRequest request) {
		ListenerMode mode = (request.mode() != null) ? request.mode() : ListenerMode.CAPTURE;
		if (request.bindAddress() != null) {
			HostLiterals.parseLiteral(request.bindAddress(), "bindAddress");
		}
		if (request.framing() != null && request.protocol() != Protocol.TCP) {
			throw GatewayException.invalidField("framing", "applies to TCP listeners only");
		}
		if (request.sendFraming() != null && request.protocol() != Protocol.TCP) {
			throw GatewayException.invalidField("sendFraming", "applies to TCP listeners only");
		}
		Framing framing = (request.framing() != null) ? request.framing() : Framing.CRLF;
		Framing sendFraming = request.sendFraming();
		Framing writes = (sendFraming != null) ? sendFraming : framing;
		if (mode != ListenerMode.RULES && request.rules() != null) {
			throw GatewayException.invalidField("rules", "apply to mode rules only");
		}
		if (mode != ListenerMode.RULES && request.defaultResponse() != null) {
			throw GatewayException.invalidField("defaultResponse", "applies to mode rules only");
		}
		if ((mode == ListenerMode.PROXY) != (request.upstream() != null)) {
			throw GatewayException.invalidField("upstream", (mode == ListenerMode.PROXY)
					? "is required in mode proxy: a target, or host and port" : "applies to mode proxy only");
		}
		if (mode == ListenerMode.PROXY && request.sendFraming() != null) {
			throw GatewayException.invalidField("sendFraming", "a proxy relays both sides with its framing");
		}
		if (mode == ListenerMode.PROXY && request.greeting() != null) {
			throw GatewayException.invalidField("greeting", "a proxy's clients hear the upstream's own greeting");
		}
		RuleBook rules = null;
		if (mode == ListenerMode.RULES) {
			boolean datagram = request.protocol() != Protocol.TCP;
			rules = RuleBook.compile(request.rules(), request.defaultResponse(), new RuleBook.Limits(datagram,
					this.payloads.maxPayloadBytes(), datagram ? MAX_DATAGRAM : writes.maxPayloadLength()));
		}
		ResolvedTarget upstream = null;
		TargetRequest wanted = request.upstream();
		if (wanted != null) {
			upstream = this.targets.resolve(wanted, request.protocol());
			if (upstream.tls()) {
				throw GatewayException.invalidField("upstream",
						"target '" + upstream.name() + "' needs TLS, which proxy listeners do not speak upstream");
			}
		}
		Listener listener = this.listeners.create(request.protocol(), (request.port() != null) ? request.port() : 0,
				(request.bindAddress() != null) ? request.bindAddress() : "127.0.0.1", framing, sendFraming, mode,
				rules, upstream, request.greeting(), Boolean.TRUE.equals(request.tls()),
				(request.idleMs() != null) ? request.idleMs() : QuietJoiner.DEFAULT_IDLE_MS);
		return ResponseEntity.created(URI.create("/api/v1/listeners/" + listener.id)).body(view(listener));
	}

	@Operation(summary = "List listeners in creation order")
	@GetMapping
	ListenerPage list(@RequestParam(defaultValue = "100") @Min(1) long limit,
			@RequestParam(required = false) @Nullable String state,
			@RequestParam(required = false) @Nullable String cursor) {
		Registry.Page<Listener> page = this.listeners.page(Cursors.decode(cursor), (int) Math.min(limit, MAX_PAGE),
				Cursors.state(state));
		return new ListenerPage(page.items().stream().map(ListenerController::view).toList(),
				(page.next() != null) ? Cursors.encode(page.next()) : null);
	}

	@Operation(summary = "Describe one listener")
	@GetMapping("/{id}")
	public ListenerView get(@PathVariable String id) {
		return view(this.listeners.get(id));
	}

	@Operation(summary = "Stop a listener: closes its clients and frees its port")
	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	public void delete(@PathVariable String id) {
		this.listeners.delete(this.listeners.get(id));
	}

	@Operation(summary = "Read what clients sent; long-polls up to waitMs")
	@GetMapping("/{id}/messages")
	public DeferredResult<MessagePage> messages(@PathVariable String id,
			@RequestParam(defaultValue = "0") @Min(0) long after, @RequestParam(defaultValue = "0") @Min(0) long waitMs,
			@RequestParam(defaultValue = "100") @Min(1) long max,
			@RequestParam(required = false) @Nullable Encoding encoding) {
		Listener listener = this.listeners.get(id);
		long wait = Math.min(waitMs, MAX_WAIT_MS);
		return this.longPolls.poll(listener.buffer, after, (int) Math.min(max, MAX_PAGE), wait, (slice) -> {
			List<MessageView> messages = slice.messages().stream().map((m) -> render(m, encoding)).toList();
			return new MessagePage(messages, slice.next(), slice.dropped());
		});
	}

	@Operation(summary = "Stream what clients send as server-sent events")
	@GetMapping(path = "/{id}/messages/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@PathVariable String id, @RequestParam(required = false) @Min(0) @Nullable Long after,
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
			@RequestParam(required = false) @Nullable Encoding encoding) {
		Listener listener = this.listeners.get(id);
		return this.streams.stream(listener.buffer, after, lastEventId, (m) -> render(m, encoding));
	}

	@Operation(summary = "Send to one client: a TCP connectionId or a UDP sender's ip:port")
	@PostMapping(path = "/{id}/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
	public ResponseEntity<Sent> send(@PathVariable String id, @Valid @RequestBody SendRequest request) {
		Listener listener = this.listeners.get(id);
		byte[] payload = this.payloads.decode(request.payload(), request.encoding());
		long sent = this.listeners.sendTo(listener, request.to(), payload, Boolean.TRUE.equals(request.close()));
		return ResponseEntity.accepted().body(new Sent(sent));
	}

	@Operation(summary = "Rules that replay what a proxy listener's upstream answered")
	@GetMapping("/{id}/recording")
	RecordingView recording(@PathVariable String id) {
		Listener listener = this.listeners.get(id);
		Recording recording = listener.recording;
		if (recording == null) {
			throw GatewayException.invalidField("mode",
					"listener " + id + " is in mode " + listener.mode + "; only proxy listeners record an upstream");
		}
		return new RecordingView(recording.rules(), recording.greeting(), recording.truncated());
	}

	@Operation(summary = "Close one TCP client of a listener")
	@DeleteMapping("/{id}/clients/{connectionId}")
	ResponseEntity<Void> closeClient(@PathVariable String id, @PathVariable String connectionId) {
		this.listeners.closeClient(this.listeners.get(id), connectionId);
		return ResponseEntity.noContent().build();
	}

	static MessageView render(ReceivedMessage message, @Nullable Encoding encoding) {
		EncodedPayload encoded = Payloads.encode(message.payload(), (encoding != null) ? encoding : Encoding.UTF8);
		return new MessageView(message.seq(), Timestamps.format(message.at()), message.from(), message.connectionId(),
				encoded.payload(), encoded.encoding(), message.rule());
	}

	static ListenerView view(Listener listener) {
		return new ListenerView(listener.id, listener.protocol.value(), listener.bindAddress, listener.port,
				listener.mode, listener.framing, listener.sendFraming,
				(listener.framing != null && listener.framing.isRaw()) ? listener.idleMs : null, listener.clients(),
				Timestamps.format(listener.openedAt), listener.closed ? "closed" : "open");
	}

}
