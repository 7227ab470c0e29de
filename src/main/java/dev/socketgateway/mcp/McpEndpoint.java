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
 * MVC's, behind the same filters (request id, body limit, API key).
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
			registry.registerBean("mcpTransport", HttpServletStreamableServerTransportProvider.class,
					(spec) -> spec.supplier((context) -> transport(context.bean(GatewayProperties.class))));
			registry.registerBean("mcpServer", McpSyncServer.class,
					(spec) -> spec.supplier((context) -> server(
							context.bean("mcpTransport", HttpServletStreamableServerTransportProvider.class),
							new GatewayTools(context.bean(JsonMapper.class), context.bean(Validator.class),
									context.bean(TcpExchangeController.class), context.bean(SessionController.class),
									context.bean(DatagramController.class), context.bean(ListenerController.class)),
							context.beanProvider(BuildProperties.class).getIfAvailable())));
			registry.registerBean("mcpLifecycle", McpLifecycle.class, (spec) -> spec
				.supplier((context) -> new McpLifecycle(context.bean("mcpServer", McpSyncServer.class))));
			registry.registerBean("mcpServlet", ServletRegistrationBean.class, (spec) -> spec.supplier((context) -> {
				// the server first: building it hands the transport its session factory
				context.bean("mcpServer", McpSyncServer.class);
				return servlet(context.bean("mcpTransport", HttpServletStreamableServerTransportProvider.class));
			}));
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

	static ServletRegistrationBean<HttpServletStreamableServerTransportProvider> servlet(
			HttpServletStreamableServerTransportProvider transport) {
		ServletRegistrationBean<HttpServletStreamableServerTransportProvider> registration = new ServletRegistrationBean<>(
				transport, PATH);
		registration.setName("mcp");
		registration.setAsyncSupported(true);
		registration.setLoadOnStartup(1);
		return registration;
	}

}
