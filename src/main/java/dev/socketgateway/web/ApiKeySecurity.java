package dev.socketgateway.web;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.metrics.AuditLog;

/**
 * API-key security for {@code /api/**} and the MCP endpoint {@code /mcp}:
 * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}. Without configured
 * keys the API is open, with a warning.
 */
@Configuration(proxyBeanMethods = false)
class ApiKeySecurity {

	private static final Log logger = LogFactory.getLog(ApiKeySecurity.class);

	/**
	 * Spring Security's own observations off: they wrap every filter of the chain in an
	 * observation and publish {@code spring_security_*} timers that no dashboard or alert
	 * reads, on every request. Requests are still measured by
	 * {@code http.server.requests} and the gateway's own meters.
	 * @return settings without observations
	 */
	@Bean
	static SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, GatewayProperties properties, JsonMapper mapper) {
		ApiKeys keys = ApiKeys.parse(properties.security().apiKeys());
		if (keys.isEmpty()) {
			logger.warn(
					"No API key configured (gateway.security.api-keys): the API at /api/** and /mcp is open to anyone "
							+ "who can reach it");
		}
		http.csrf((csrf) -> csrf.disable())
			.httpBasic((basic) -> basic.disable())
			.formLogin((form) -> form.disable())
			.logout((logout) -> logout.disable())
			.requestCache((cache) -> cache.disable())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		if (keys.isEmpty()) {
			// Nothing to authenticate: keep the firewall and the security headers, and
			// leave out the filters that would only set and clear an anonymous user on
			// every request and check it against permitAll (docs/benchmarks.md).
			http.securityContext((context) -> context.disable())
				.anonymous((anonymous) -> anonymous.disable())
				.servletApi((servletApi) -> servletApi.disable())
				.exceptionHandling((exceptions) -> exceptions.disable());
			return http.build();
		}
		http.addFilterBefore(new KeyFilter(keys, mapper), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests((authorize) -> authorize.anyRequest().permitAll());
		return http.build();
	}

	/**
	 * Checks the key on {@code /api/**} and {@code /mcp} and answers 401 problem details
	 * itself.
	 */
	static final class KeyFilter extends OncePerRequestFilter {

		private final ApiKeys keys;

		private final JsonMapper mapper;

		KeyFilter(ApiKeys keys, JsonMapper mapper) {
			this.keys = keys;
			this.mapper = mapper;
		}

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			// The container's decoded, normalized path, as the handler mapping sees it:
			// the
			// raw URI would let /%61pi/... or /x/../api/... skip the key.
			String pathInfo = request.getPathInfo();
			String path = request.getServletPath() + ((pathInfo != null) ? pathInfo : "");
			return this.keys.isEmpty() || !(guarded(path, "/api") || guarded(path, "/mcp"));
		}

		private static boolean guarded(String path, String prefix) {
			return path.equals(prefix) || path.startsWith(prefix + "/");
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String presented = presentedKey(request);
			String id = (presented != null) ? this.keys.match(presented) : null;
			if (id == null) {
				reject(response,
						(presented == null) ? "send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
								: "the API key is not valid");
				return;
			}
			MDC.put(AuditLog.KEY_ID, id);
			SecurityContextHolder.getContext()
				.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(id, null,
						AuthorityUtils.createAuthorityList("ROLE_API")));
			chain.doFilter(request, response);
		}

		private static String presentedKey(HttpServletRequest request) {
			String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
			if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
				String key = authorization.substring(7).strip();
				if (!key.isEmpty()) {
					return key;
				}
			}
			String header = request.getHeader("X-API-Key");
			return (header != null && !header.isBlank()) ? header.strip() : null;
		}

		private void reject(HttpServletResponse response, String detail) throws IOException {
			ProblemDetail problem = ProblemDetailsAdvice.problem(HttpStatus.UNAUTHORIZED, ErrorCode.UNAUTHORIZED,
					detail);
			response.setStatus(HttpStatus.UNAUTHORIZED.value());
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"socket-gateway\"");
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.getOutputStream().write(this.mapper.writeValueAsBytes(problem));
		}

	}

}
