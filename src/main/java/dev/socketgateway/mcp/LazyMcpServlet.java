package dev.socketgateway.mcp;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * The MCP servlet, whose SDK transport and server are built on the first request to
 * {@code /mcp} rather than at start-up: they load about a thousand classes (the SDK,
 * Reactor, a JSON-Schema library) that a gateway nobody points an agent at never needs,
 * and start-up time is a tracked target (docs/benchmarks.md).
 */
final class LazyMcpServlet extends HttpServlet {

	private final transient Supplier<Mcp> factory;

	private final transient ReentrantLock lock = new ReentrantLock();

	private transient volatile @Nullable Mcp mcp;

	LazyMcpServlet(Supplier<Mcp> factory) {
		this.factory = factory;
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		mcp().transport().service(request, response);
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
