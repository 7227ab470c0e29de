package dev.socketgateway.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import dev.socketgateway.ErrorCode;

/**
 * Errors raised before Spring MVC: URLs the firewall rejects answer problem details, and
 * Tomcat's own error pages show neither a report nor the server version.
 */
@Configuration(proxyBeanMethods = false)
class ErrorResponses {

	private static final Log logger = LogFactory.getLog(ErrorResponses.class);

	@Bean
	RequestRejectedHandler problemRequestRejectedHandler(JsonMapper mapper) {
		return (HttpServletRequest request, HttpServletResponse response, RequestRejectedException ex) -> {
			logger.debug("Rejected request: " + ex.getMessage());
			ProblemDetail problem = ProblemDetailsAdvice.problem(HttpStatus.BAD_REQUEST, ErrorCode.VALIDATION_FAILED,
					"the URL was rejected: write a normalized path without '//', '/./', '/../', ';', "
							+ "encoded slashes or control characters");
			problem.setProperty("requestId", response.getHeader(RequestIdFilter.HEADER));
			write(response, problem, mapper);
		};
	}

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> quietTomcatErrorPages() {
		return (factory) -> factory.addContextCustomizers((context) -> {
			// The host adds its own ErrorReportValve only when none is there yet.
			ErrorReportValve valve = new ErrorReportValve();
			valve.setShowReport(false);
			valve.setShowServerInfo(false);
			context.getParent().getPipeline().addValve(valve);
		});
	}

	private static void write(HttpServletResponse response, ProblemDetail problem, JsonMapper mapper)
			throws IOException {
		response.setStatus(problem.getStatus());
		response.setHeader(HttpHeaders.CONNECTION, "close");
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(mapper.writeValueAsBytes(problem));
	}

}
