package dev.socketgateway.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import jakarta.validation.Validator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.web.context.request.async.DeferredResult;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.conversation.ConversationController;
import dev.socketgateway.conversation.ConversationRequest;
import dev.socketgateway.listener.ListenerApi;
import dev.socketgateway.listener.ListenerController;
import dev.socketgateway.metrics.AuditLog;
import dev.socketgateway.payload.Encoding;
import dev.socketgateway.session.SessionApi;
import dev.socketgateway.session.SessionController;
import dev.socketgateway.tcp.ExchangeRequest;
import dev.socketgateway.tcp.TcpExchangeController;
import dev.socketgateway.udp.DatagramController;
import dev.socketgateway.udp.DatagramRequest;
import dev.socketgateway.web.ProblemDetailsAdvice;

/**
 * The gateway's tools. Each one binds its arguments as the REST twin binds its body, then
 * calls the REST controller's own method, so target resolution, policy, limits, audit and
 * metrics are the REST path's. The answer is the REST answer's JSON; a failure is a tool
 * error whose text is the problem details the REST twin would answer.
 */
final class GatewayTools {

	private static final Log logger = LogFactory.getLog(GatewayTools.class);

	private static final String CONNECTION_ID = "connectionId";

	private static final String LISTENER_ID = "listenerId";

	private static final String TARGET_HINT = "Reach a target by name (target) or by host and port; "
			+ "the gateway's egress policy decides which are allowed, a refused one is a TARGET_FORBIDDEN error. ";

	/** Longer than the longest waitMs (30 s) plus the long-poll's own backstop. */
	private static final long AWAIT_LIMIT_MS = 65_000;

	private final JsonMapper mapper;

	private final Validator validator;

	private final ToolSchemas schemas;

	private final TcpExchangeController exchanges;

	private final SessionController sessions;

	private final DatagramController datagrams;

	private final ListenerController listeners;

	private final ConversationController conversations;

	GatewayTools(JsonMapper mapper, Validator validator, TcpExchangeController exchanges, SessionController sessions,
			DatagramController datagrams, ListenerController listeners, ConversationController conversations) {
		this.mapper = mapper;
		this.validator = validator;
		this.schemas = new ToolSchemas(mapper);
		this.exchanges = exchanges;
		this.sessions = sessions;
		this.datagrams = datagrams;
		this.listeners = listeners;
		this.conversations = conversations;
	}

	List<SyncToolSpecification> all() {
		List<SyncToolSpecification> tools = new ArrayList<>();
		tools.add(tool("tcp_exchange", TARGET_HINT
				+ "Opens (or reuses) a TCP connection, sends one framed message and reads one reply. "
				+ "Same as POST /api/v1/tcp/exchange; answers its JSON (reply, completedBy, bytesSent, bytesReceived, durationMs, remote).",
				this.schemas.of(ExchangeRequest.class),
				(args) -> this.exchanges.exchange(args.body(ExchangeRequest.class))));
		tools.add(tool("conversation_run", TARGET_HINT
				+ "Runs send/expect steps over one TCP or UDP connection: each step is exactly one of send, expect "
				+ "(a regex string, or {equals|prefix|contains|regex|hex|hexPrefix: value}), expectClose, starttls, "
				+ "sleepMs. Answers ok, failedStep and every step's outcome, whatever the steps did. "
				+ "Same as POST /api/v1/conversations.", this.schemas.of(ConversationRequest.class),
				(args) -> this.conversations.run(args.body(ConversationRequest.class))));
		tools.add(tool("session_open", TARGET_HINT
				+ "Opens a persistent TCP connection and answers it with its id; pass that id as connectionId to "
				+ "session_send, session_read and session_close. Same as POST /api/v1/tcp/connections.",
				this.schemas.of(SessionApi.OpenRequest.class),
				(args) -> this.sessions.open(args.body(SessionApi.OpenRequest.class)).getBody()));
		tools.add(tool("session_send",
				"Sends one message on an open connection (framed as the session's framing); with awaitReply true also "
						+ "waits for the next message received. Same as POST /api/v1/tcp/connections/{connectionId}/messages.",
				this.schemas.of(SessionApi.SendRequest.class)
					.property(CONNECTION_ID, String.class, "the id session_open answered", true),
				(args) -> this.sessions
					.send(args.required(CONNECTION_ID), args.body(SessionApi.SendRequest.class, CONNECTION_ID))
					.getBody()));
		tools.add(tool("session_read",
				"Reads the messages a connection received after seq `after`, waiting up to waitMs for the first one. "
						+ "Pass the answer's `next` as `after` on the next read. Same as GET /api/v1/tcp/connections/{connectionId}/messages.",
				reads(CONNECTION_ID, "the id session_open answered"),
				(args) -> await(this.sessions.messages(args.required(CONNECTION_ID), after(args), waitMs(args),
						max(args), args.optional("encoding", Encoding.class, null)))));
		tools.add(tool("session_close",
				"Closes a connection and answers its final state (state closed, closedReason deleted). "
						+ "Same as DELETE /api/v1/tcp/connections/{connectionId} followed by a GET.",
				this.schemas.empty().property(CONNECTION_ID, String.class, "the id session_open answered", true),
				(args) -> {
					String id = args.required(CONNECTION_ID);
					this.sessions.delete(id);
					return this.sessions.get(id);
				}));
		tools.add(tool("udp_send",
				TARGET_HINT
						+ "Sends one UDP datagram; with awaitReply true waits for one reply datagram from the target. "
						+ "Same as POST /api/v1/udp/datagrams.",
				this.schemas.of(DatagramRequest.class),
				(args) -> this.datagrams.send(args.body(DatagramRequest.class))));
		tools.add(tool("listener_start",
				"Starts a TCP or UDP server on the gateway (ports and bind addresses limited by gateway.listeners) "
						+ "and answers it with its id and the port bound; pass the id as listenerId to listener_read, "
						+ "listener_send and listener_stop. Same as POST /api/v1/listeners.",
				this.schemas.of(ListenerApi.CreateRequest.class),
				(args) -> this.listeners.create(args.body(ListenerApi.CreateRequest.class)).getBody()));
		tools.add(tool("listener_read",
				"Reads what the listener's clients sent after seq `after`, waiting up to waitMs for the first message; "
						+ "each message names its sender (from, and connectionId for TCP). Pass the answer's `next` as "
						+ "`after` on the next read. Same as GET /api/v1/listeners/{listenerId}/messages.",
				reads(LISTENER_ID, "the id listener_start answered"),
				(args) -> await(this.listeners.messages(args.required(LISTENER_ID), after(args), waitMs(args),
						max(args), args.optional("encoding", Encoding.class, null)))));
		tools.add(tool("listener_send",
				"Sends one message to one of the listener's clients: `to` is a TCP client's connectionId or a UDP "
						+ "sender's ip:port, as listener_read reports them. Same as POST /api/v1/listeners/{listenerId}/messages.",
				this.schemas.of(ListenerApi.SendRequest.class)
					.property(LISTENER_ID, String.class, "the id listener_start answered", true),
				(args) -> this.listeners
					.send(args.required(LISTENER_ID), args.body(ListenerApi.SendRequest.class, LISTENER_ID))
					.getBody()));
		tools.add(tool("listener_stop",
				"Stops a listener, closing its clients and freeing its port; answers its final state. "
						+ "Same as DELETE /api/v1/listeners/{listenerId} followed by a GET.",
				this.schemas.empty().property(LISTENER_ID, String.class, "the id listener_start answered", true),
				(args) -> {
					String id = args.required(LISTENER_ID);
					this.listeners.delete(id);
					return this.listeners.get(id);
				}));
		return tools;
	}

	private ToolSchemas.Builder reads(String id, String idDescription) {
		return this.schemas.empty()
			.property(id, String.class, idDescription, true)
			.property("after", Long.class,
					"answer messages with seq greater than this (default 0: from the oldest kept); pass the last answer's next",
					false)
			.property("waitMs", Integer.class,
					"long-poll: wait up to this many ms (0-30000, default 0) for a first message when none is there yet",
					false)
			.property("max", Integer.class, "most messages in the answer (1-1000, default 100)", false)
			.property("encoding", Encoding.class, "encoding of the payloads in the answer (default utf8)", false);
	}

	private static long after(Arguments args) {
		return atLeast(args, "after", 0, 0);
	}

	private static long waitMs(Arguments args) {
		return atLeast(args, "waitMs", 0, 0);
	}

	private static long max(Arguments args) {
		return atLeast(args, "max", 100, 1);
	}

	/** As the REST read's {@code @Min} on its query parameters. */
	private static long atLeast(Arguments args, String name, long fallback, long min) {
		Long value = args.optional(name, Long.class, fallback);
		long result = (value != null) ? value : fallback;
		if (result < min) {
			throw GatewayException.invalidField(name, "must be greater than or equal to " + min);
		}
		return result;
	}

	/**
	 * The answer of a REST long-poll ({@code DeferredResult}, completed by its own timer
	 * within waitMs), waited for on this thread as an MCP call answers once.
	 */
	private static Object await(DeferredResult<?> result) throws InterruptedException {
		CompletableFuture<@Nullable Object> answer = new CompletableFuture<>();
		result.setResultHandler(answer::complete);
		try {
			Object value = answer.get(AWAIT_LIMIT_MS, TimeUnit.MILLISECONDS);
			if (value instanceof RuntimeException ex) {
				throw ex;
			}
			if (value == null) {
				throw new IllegalStateException("a long-poll completed without a page");
			}
			return value;
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("a long-poll did not complete", ex);
		}
	}

	private SyncToolSpecification tool(String name, String description, ToolSchemas.Builder input, Action action) {
		Map<String, Object> schema = input.build();
		@SuppressWarnings("unchecked")
		Set<String> known = ((Map<String, Object>) schema.get("properties")).keySet();
		Tool tool = Tool.builder(name, schema).description(description).build();
		return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
			Arguments args = new Arguments(request.arguments(), this.mapper, this.validator);
			return call(() -> {
				args.only(known);
				return action.apply(args);
			});
		}).build();
	}

	private CallToolResult call(Call call) {
		try {
			Object answer = call.run();
			return CallToolResult.builder()
				.content(List.of(new TextContent(this.mapper.writeValueAsString(answer))))
				.isError(false)
				.build();
		}
		catch (GatewayException ex) {
			return error(ex.code().status(), ex.code().name(), ex.code().title(), ex.getMessage(), ex.properties());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return error(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.OVERLOADED.name(), ErrorCode.OVERLOADED.title(),
					"interrupted while waiting: the gateway is shutting down", Map.of());
		}
		catch (RuntimeException ex) {
			JacksonException jackson = ProblemDetailsAdvice.find(ex, JacksonException.class);
			if (jackson != null) {
				return invalid(jackson);
			}
			logger.error("Unexpected failure in an MCP tool", ex);
			return error(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Internal error",
					"the gateway failed unexpectedly; the request id leads to the log line", Map.of());
		}
	}

	private CallToolResult invalid(JacksonException ex) {
		// the REST body's mapping: the field's JSON path, the problem in JSON terms
		ProblemDetailsAdvice.FieldProblem problem = ProblemDetailsAdvice.fieldProblem(ex);
		GatewayException invalid = (problem != null) ? GatewayException.invalidField(problem.field(), problem.message())
				: GatewayException.invalidField("arguments", "not the arguments this tool takes");
		return error(invalid.code().status(), invalid.code().name(), invalid.code().title(), invalid.getMessage(),
				invalid.properties());
	}

	/**
	 * A tool error whose text is the problem details the REST twin would answer.
	 */
	private CallToolResult error(HttpStatus status, String code, String title, @Nullable String detail,
			Map<String, Object> properties) {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("status", status.value());
		problem.put("title", title);
		problem.put("detail", detail);
		problem.put("code", code);
		problem.put("requestId", MDC.get(AuditLog.REQUEST_ID));
		problem.putAll(properties);
		return CallToolResult.builder()
			.content(List.of(new TextContent(this.mapper.writeValueAsString(problem))))
			.isError(true)
			.build();
	}

	@FunctionalInterface
	private interface Action {

		@Nullable Object apply(Arguments args) throws InterruptedException;

	}

	@FunctionalInterface
	private interface Call {

		@Nullable Object run() throws InterruptedException;

	}

}
