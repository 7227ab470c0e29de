package dev.socketgateway.console;

import io.swagger.v3.oas.annotations.Hidden;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Serves the web console's page; its scripts, styles and the WebJars it uses are static
 * resources. The page holds no data: everything it shows comes from {@code /api/**} with
 * the caller's key.
 */
@Hidden
@Controller
class ConsoleController {

	/**
	 * {@code /console} moves to {@code /console/} so that the page's relative links
	 * resolve under it.
	 * @return the redirect
	 */
	@GetMapping("/console")
	String console() {
		return "redirect:/console/";
	}

	@GetMapping("/console/")
	String page() {
		return "forward:/console/index.html";
	}

}
