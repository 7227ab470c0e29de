package dev.socketgateway.console;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.socketgateway.support.Http;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console with API keys set: the page and its libraries load without a key, the
 * page asks for one when the API answers 401, and then sends it as a header on every call
 * and every stream, never in a URL.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0",
				"gateway.security.api-keys=console:" + ConsoleApiKeyBrowserTests.KEY })
@ActiveProfiles("demo")
class ConsoleApiKeyBrowserTests {

	static final String KEY = "s3cret-console-key-4f1c";

	static Browser browser;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void demoPorts(DynamicPropertyRegistry registry) throws IOException {
		try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			int tcpPort = tcp.getLocalPort();
			int udpPort = udp.getLocalPort();
			registry.add("gateway.demo.tcp-port", () -> tcpPort);
			registry.add("gateway.demo.udp-port", () -> udpPort);
		}
	}

	@BeforeAll
	static void startBrowser(@LocalServerPort int port) {
		browser = Browser.start(port);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	@Test
	void thePageAndItsLibrariesNeedNoKeyButTheApiDoes() {
		Http http = new Http(this.port);
		assertThat(http.get("/console/").status()).isEqualTo(200);
		assertThat(http.get("/console/js/api.js").status()).isEqualTo(200);
		assertThat(http.get("/webjars/uplot/dist/uPlot.esm.js").status()).isEqualTo(200);
		assertThat(http.get("/api/v1/tcp/connections").status()).isEqualTo(401);
	}

	@Test
	void thePageAsksForAKeyThenWorksAndTheKeyIsInNoUrl() {
		browser.open("/console");
		WebElement dialog = browser.visible(By.id("key-dialog"));
		assertThat(dialog.getText()).contains("API key");
		browser.screenshot("console-api-key");
		browser.type(By.id("key-input"), KEY);
		browser.click(By.id("key-submit"));
		browser.await((d) -> !d.findElement(By.id("key-dialog")).isDisplayed());
		assertThat(browser.visible(By.id("key-state")).getText()).contains("API key set");

		browser.click(By.cssSelector("#session-open button[type=submit]"));
		browser.await((d) -> d.findElement(By.cssSelector("#session-detail .streamstate")).getText().contains("live"));
		browser.type(By.id("session-payload"), "with a key");
		browser.click(By.cssSelector("#session-detail .sendbox button[type=submit]"));
		WebElement echoed = browser.visible(By.cssSelector("#session-detail tr.dir-in"));
		assertThat(echoed.findElement(By.className("c-text")).getText()).isEqualTo("with a key");

		List<JsonNode> requests = browser.requests();
		assertThat(requests).extracting((request) -> request.path("url").asString())
			.isNotEmpty()
			.noneMatch((url) -> url.contains(KEY));
		List<JsonNode> api = requests.stream()
			.filter((request) -> request.path("url").asString().contains("/api/"))
			.toList();
		assertThat(api).extracting((request) -> request.path("url").asString())
			.anyMatch((url) -> url.contains("/messages/stream"))
			.anyMatch((url) -> url.endsWith("/api/v1/tcp/connections"));
		// after the first refused call, every call and stream carries the key in a header
		List<JsonNode> keyed = api.subList(1, api.size());
		assertThat(keyed).isNotEmpty()
			.allSatisfy((request) -> assertThat(request.path("headers").path("X-API-Key").asString()).isEqualTo(KEY));
		assertThat(browser.script("return sessionStorage.getItem('socket-gateway.api-key')")).isEqualTo(KEY);
	}

}
