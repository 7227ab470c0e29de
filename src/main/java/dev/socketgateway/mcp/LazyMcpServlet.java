package dev.socketgateway.mcp;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.metrics.AuditLog;

/**
 * The MCP servlet, whose SDK transport and server are built on the first request to
 * {@code /mcp} rather than at start-up: they load about a thousand classes (the SDK,
 * Reactor, a JSON-Schema library) that a gateway nobody points an agent at never needs,
 * and start-up time is a tracked target (docs/benchmarks.md).
 */
final class LazyMcpServlet extends HttpServlet {

	private final transient Supplier<Mcp> factory;

	private final transient ReentrantLock lock = new ReentrantLock();

	private final transient JsonMapper mapper;

	private transient volatile @Nullable Mcp mcp;

	LazyMcpServlet(Supplier<Mcp> factory, JsonMapper mapper) {
		this.factory = factory;
		this.mapper = mapper;
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		if ("POST".equals(request.getMethod()) && !json(request.getContentType())) {
			// as the REST API's JSON endpoints: a browser cannot send application/json
			// across origins without a preflight, so no page can drive the tools
			unsupported(response);
			return;
		}
		mcp().transport().service(request, response);
	}

	private static boolean json(@Nullable String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			return MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(contentType));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private void unsupported(HttpServletResponse response) throws IOException {
		Map<String, @Nullable Object> problem = new LinkedHashMap<>();
		problem.put("title", "Unsupported Media Type");
		problem.put("status", HttpStatus.UNSUPPORTED_MEDIA_TYPE.value());
		problem.put("detail", "send MCP messages as Content-Type: application/json");
		problem.put("code", ErrorCode.VALIDATION_FAILED.name());
		problem.put("requestId", MDC.get(AuditLog.REQUEST_ID));
		response.setStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(this.mapper.writeValueAsBytes(problem));
	}

	private Mcp mcp() throws ServletException {
		Mcp current = this.mcp;
		if (current != null) {
			return current;
		}
		// a lock, not synchronized: requests run on virtual threads
		this.lock.lock();
		try {
			current = this.mcp;
			if (current == null) {
				current = this.factory.get();
				current.transport().init(getServletConfig());
				this.mcp = current;
			}
			return current;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Closes the MCP sessions and their open event streams, if the server was ever built.
	 */
	void closeSessions() {
		Mcp current = this.mcp;
		if (current != null) {
			current.server().closeGracefully();
		}
	}

	boolean started() {
		return this.mcp != null;
	}

	@Override
	public void destroy() {
		Mcp current = this.mcp;
		if (current != null) {
			current.transport().destroy();
		}
	}

	/**
	 * The SDK's transport (a servlet itself) and the server that serves the tools over
	 * it.
	 *
	 * @param transport the Streamable HTTP transport
	 * @param server the server
	 */
	record Mcp(HttpServletStreamableServerTransportProvider transport, McpSyncServer server) {
	}

}
