package dev.socketgateway.mcp;

import org.springframework.context.SmartLifecycle;

/**
 * Closes the MCP sessions, and with them their open event streams, before the web
 * server's graceful shutdown, so a client's listening stream does not hold the shutdown
 * for its whole timeout.
 */
final class McpLifecycle implements SmartLifecycle {

	private final LazyMcpServlet servlet;

	private volatile boolean running;

	McpLifecycle(LazyMcpServlet servlet) {
		this.servlet = servlet;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.servlet.closeSessions();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// as the sessions' and listeners' services: before the web server's graceful
		// shutdown
		return SmartLifecycle.DEFAULT_PHASE - 512;
	}

}
