package dev.socketgateway.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import dev.socketgateway.GatewayProperties;
import dev.socketgateway.listener.ListenerController;
import dev.socketgateway.session.SessionController;
import dev.socketgateway.tcp.TcpExchangeController;
import dev.socketgateway.udp.DatagramController;

/**
 * The MCP server at {@code /mcp} (Streamable HTTP), a servlet of its own beside Spring
 * MVC's, behind the same filters (request id, body limit, API key), built on its first
 * request ({@link LazyMcpServlet}).
 *
 * <p>
 * Registered by a {@link BeanRegistrar} that reads {@code gateway.mcp.enabled} when the
 * context starts, not by a condition: with Spring AOT ({@code -Dspring.aot.enabled=true},
 * as the container image runs) conditions are evaluated once at build time, while a
 * registrar still runs at run time. Public, as its registrar: Spring AOT's generated code
 * (package {@code dev.socketgateway}) instantiates the registrar.
 */
@Configuration(proxyBeanMethods = false)
@Import(McpEndpoint.Registrar.class)
public class McpEndpoint {

	/** The endpoint's path on the API port. */
	static final String PATH = "/mcp";

	/** The property that switches the endpoint off. */
	static final String ENABLED = "gateway.mcp.enabled";

	McpEndpoint() {
	}

	/**
	 * Registers the transport servlet and the server when {@code gateway.mcp.enabled} is
	 * not {@code false}.
	 */
	public static final class Registrar implements BeanRegistrar {

		@Override
		public void register(BeanRegistry registry, Environment env) {
			if (!env.getProperty(ENABLED, Boolean.class, true)) {
				return;
			}
			registry.registerBean("mcpServlet", ServletRegistrationBean.class, (spec) -> spec.supplier((context) -> {
				GatewayProperties properties = context.bean(GatewayProperties.class);
				JsonMapper mapper = context.bean(JsonMapper.class);
				Validator validator = context.bean(Validator.class);
				TcpExchangeController exchanges = context.bean(TcpExchangeController.class);
				SessionController sessions = context.bean(SessionController.class);
				DatagramController datagrams = context.bean(DatagramController.class);
				ListenerController listeners = context.bean(ListenerController.class);
				BuildProperties build = context.beanProvider(BuildProperties.class).getIfAvailable();
				// the SDK's classes load on the first request, not here
				return servlet(new LazyMcpServlet(() -> {
					GatewayTools tools = new GatewayTools(mapper, validator, exchanges, sessions, datagrams, listeners);
					HttpServletStreamableServerTransportProvider transport = transport(properties);
					return new LazyMcpServlet.Mcp(transport, server(transport, tools, build));
				}, mapper));
			}));
			registry.registerBean("mcpLifecycle", McpLifecycle.class,
					(spec) -> spec.supplier((context) -> new McpLifecycle(
							servletOf(context.bean("mcpServlet", ServletRegistrationBean.class)))));
		}

	}

	static HttpServletStreamableServerTransportProvider transport(GatewayProperties properties) {
		// the same HTTP body cap as the REST API's (BodyLimitFilter)
		long cap = properties.limits().maxPayloadBytes().toBytes() * 4 / 3 + 64 * 1024;
		return HttpServletStreamableServerTransportProvider.builder()
			.jsonMapper(McpJsonDefaults.getMapper())
			.mcpEndpoint(PATH)
			.maxRequestSize((int) Math.min(cap, Integer.MAX_VALUE))
			.build();
	}

	static McpSyncServer server(HttpServletStreamableServerTransportProvider transport, GatewayTools tools,
			@Nullable BuildProperties build) {
		String version = (build != null) ? build.getVersion() : "dev";
		return McpServer.sync(transport)
			.serverInfo("socket-gateway", version)
			.instructions("Raw TCP and UDP sockets behind the gateway's egress policy, API keys and limits. "
					+ "Payloads are utf8 text unless encoding says hex or base64.")
			.capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
			// tools run on the request's thread: its request id and key id reach the
			// audit line, and a long-poll holds that (virtual) thread as REST does
			.immediateExecution(true)
			// arguments are checked as the REST body is, with VALIDATION_FAILED errors
			.validateToolInputs(false)
			.tools(tools.all())
			.build();
	}

	static ServletRegistrationBean<LazyMcpServlet> servlet(LazyMcpServlet servlet) {
		ServletRegistrationBean<LazyMcpServlet> registration = new ServletRegistrationBean<>(servlet, PATH);
		registration.setName("mcp");
		registration.setAsyncSupported(true);
		return registration;
	}

	private static LazyMcpServlet servletOf(ServletRegistrationBean<?> registration) {
		return (LazyMcpServlet) registration.getServlet();
	}

}
