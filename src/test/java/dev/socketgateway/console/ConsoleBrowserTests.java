package dev.socketgateway.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import dev.socketgateway.support.GatewayEndToEndTests;
import dev.socketgateway.support.Http;
import dev.socketgateway.support.SharedPeers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real browser: a session to a loopback echo the policy allows, a
 * listener a raw socket talks to, and a stream that pauses and resumes without losing a
 * row.
 */
class ConsoleBrowserTests extends GatewayEndToEndTests {

	static Browser browser;

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
	void consoleIsServedWithItsLibrariesFromTheJar() {
		Http http = this.http;
		assertThat(http.get("/console/").status()).isEqualTo(200);
		assertThat(http.get("/console/").text()).contains("socket-gateway console");
		Http.Response chart = http.get("/webjars/uplot/dist/uPlot.esm.js");
		assertThat(chart.status()).isEqualTo(200);
		assertThat(chart.text()).contains("uPlot");
	}

	@Test
	void aSessionToTheDemoEchoShowsTheEchoedLineAsTextAndHex() {
		browser.open("/console");
		browser.click(By.id("tab-sessions"));
		WebElement target = browser.visible(By.id("session-target"));
		assertThat(target.getAttribute("value")).as("the demo profile's echo").isEqualTo("echo-tcp");
		browser.type(By.id("session-target"), SharedPeers.TCP_ECHO_TARGET);
		browser.click(By.cssSelector("#session-open button[type=submit]"));
		browser.await((d) -> d.findElement(By.cssSelector("#session-detail .streamstate")).getText().contains("live"));
		browser.type(By.id("session-payload"), "hello console");
		browser.click(By.cssSelector("#session-detail .sendbox button[type=submit]"));

		WebElement echoed = browser.visible(By.cssSelector("#session-detail tr.dir-in"));
		assertThat(echoed.findElement(By.className("c-text")).getText()).isEqualTo("hello console");
		assertThat(echoed.findElement(By.className("c-hex")).getText())
			.isEqualTo("68 65 6c 6c 6f 20 63 6f  6e 73 6f 6c 65");
		assertThat(echoed.findElement(By.className("c-size")).getText()).isEqualTo("13");
		assertThat(echoed.findElement(By.className("c-peer")).getText())
			.isEqualTo("127.0.0.1:" + SharedPeers.tcpEcho().port());
		WebElement sent = browser.visible(By.cssSelector("#session-detail tr.dir-out"));
		assertThat(sent.findElement(By.className("c-text")).getText()).isEqualTo("hello console");

		// a second line from the keyboard alone: Enter sends
		browser.visible(By.id("session-payload")).sendKeys("second line", Keys.ENTER);
		browser.await((d) -> d.findElements(By.cssSelector("#session-detail tr.dir-in")).size() == 2);
		browser.type(By.cssSelector("#session-detail input[type=search]"), "second");
		List<WebElement> shown = browser.driver
			.findElements(By.cssSelector("#session-detail tbody tr:not([hidden]) td.c-text"));
		assertThat(shown).extracting(WebElement::getText).containsExactly("second line", "second line");
		browser.type(By.cssSelector("#session-detail input[type=search]"), "");
		// each sent line comes before its echo
		assertThat(browser.driver.findElements(By.cssSelector("#session-detail tbody tr")))
			.extracting((row) -> row.getAttribute("class"))
			.containsExactly("dir-out", "dir-in", "dir-out", "dir-in");
		browser.screenshot("console-sessions");

		// a payload the API refuses: the row says so, the notice names the problem's code
		new Select(browser.visible(By.id("session-encoding"))).selectByValue("hex");
		browser.type(By.id("session-payload"), "6g");
		browser.click(By.cssSelector("#session-detail .sendbox button[type=submit]"));
		WebElement refused = browser.visible(By.cssSelector("#session-detail tr.failed"));
		assertThat(refused.getText()).contains("not sent");
		assertThat(browser.visible(By.id("notice")).getText()).startsWith("INVALID_PAYLOAD");
	}

	@Test
	void aListenerShowsARawSocketsMessageLiveAndTheReplyReachesTheSocket() throws IOException {
		browser.open("/console/#listeners");
		browser.click(By.cssSelector("#listener-start button[type=submit]"));
		browser.await((d) -> d.findElement(By.cssSelector("#listener-detail .streamstate")).getText().contains("live"));
		int listenerPort = listenerPort();
		try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listenerPort)) {
			client.setSoTimeout(10_000);
			OutputStream out = client.getOutputStream();
			out.write("GET /status from a raw socket\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			WebElement row = browser.visible(By.cssSelector("#listener-detail tr.dir-in"));
			assertThat(row.findElement(By.className("c-text")).getText()).isEqualTo("GET /status from a raw socket");
			assertThat(row.findElement(By.className("c-peer")).getText())
				.isEqualTo("127.0.0.1:" + client.getLocalPort());

			browser.visible(By.id("listener-to"));
			browser.type(By.id("listener-payload"), "200 OK from the console");
			browser.click(By.cssSelector("#listener-detail .sendbox button[type=submit]"));
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
			assertThat(reader.readLine()).isEqualTo("200 OK from the console");
			browser.visible(By.cssSelector("#listener-detail tr.dir-out"));
			out.write("thanks\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			browser.await((d) -> d.findElements(By.cssSelector("#listener-detail tr.dir-in")).size() == 2);
			browser.screenshot("console-listeners");
		}
	}

	@Test
	void aPausedStreamResumesFromItsCursorWithoutLosingOrRepeatingARow() throws IOException {
		browser.open("/console/#listeners");
		browser.click(By.cssSelector("#listener-start button[type=submit]"));
		browser.await((d) -> d.findElement(By.cssSelector("#listener-detail .streamstate")).getText().contains("live"));
		int listenerPort = listenerPort();
		String id = listenerId(listenerPort);
		Http http = this.http;
		try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listenerPort)) {
			OutputStream out = client.getOutputStream();
			out.write("one\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			browser.visible(By.cssSelector("#listener-detail tr.dir-in"));

			browser.click(By.cssSelector("#listener-detail button.pause"));
			browser.await(
					(d) -> d.findElement(By.cssSelector("#listener-detail .streamstate")).getText().equals("paused"));
			out.write("two\r\nthree\r\nfour\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			// the gateway has all four before the page resumes
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> http.get("/api/v1/listeners/" + id + "/messages?after=1&waitMs=2000")
					.json()
					.path("messages")
					.size() == 3);
			assertThat(rows()).containsExactly("one");

			browser.click(By.cssSelector("#listener-detail button.pause"));
			browser.await((d) -> rows().size() >= 4);
			assertThat(rows()).containsExactly("one", "two", "three", "four");
			assertThat(browser.driver.findElements(By.cssSelector("#listener-detail tr.dir-in")))
				.extracting((row) -> row.getAttribute("data-seq"))
				.containsExactly("1", "2", "3", "4");
		}
	}

	@Test
	void atAPhoneWidthNothingOverflowsSideways() throws IOException {
		try {
			browser.resize(390, 844);
			browser.open("/console/#sessions");
			browser.type(By.id("session-target"), SharedPeers.TCP_ECHO_TARGET);
			browser.click(By.cssSelector("#session-open button[type=submit]"));
			browser
				.await((d) -> d.findElement(By.cssSelector("#session-detail .streamstate")).getText().contains("live"));
			browser.type(By.id("session-payload"), "small screens too");
			browser.click(By.cssSelector("#session-detail .sendbox button[type=submit]"));
			WebElement echoed = browser.visible(By.cssSelector("#session-detail tr.dir-in"));
			assertThat(echoed.findElement(By.className("c-text")).getText()).endsWith("small screens too");
			Map<String, Object> metrics = browser.metrics();
			assertThat(((Number) metrics.get("scrollWidth")).intValue())
				.isLessThanOrEqualTo(((Number) metrics.get("innerWidth")).intValue());
			assertThat(((Number) metrics.get("innerWidth")).intValue()).isEqualTo(390);
			browser.script("document.querySelector('#session-detail .traffic-panel').scrollIntoView()");
			browser.screenshot("console-phone");
		}
		finally {
			browser.resize(1280, 800);
		}
	}

	@Test
	void aRulesListenerStartedFromThePageAnswersARawClient() throws IOException {
		browser.open("/console/#listeners");
		new Select(browser.visible(By.id("listener-mode"))).selectByValue("rules");
		assertThat(browser.visible(By.id("listener-rules")).getAttribute("value")).contains("PONG");
		browser.click(By.cssSelector("#listener-start button[type=submit]"));
		browser.await((d) -> d.findElement(By.cssSelector("#listener-detail .streamstate")).getText().contains("live"));
		try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listenerPort())) {
			client.setSoTimeout(10_000);
			client.getOutputStream().write("PING from a raw socket\r\n".getBytes(StandardCharsets.US_ASCII));
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
			assertThat(reader.readLine()).isEqualTo("PONG");
			WebElement row = browser.visible(By.cssSelector("#listener-detail tr.dir-in"));
			assertThat(row.findElement(By.className("c-text")).getText()).isEqualTo("PING from a raw socket");
			assertThat(row.findElement(By.className("c-dir")).getText()).contains("rule 0");
		}
	}

	private List<String> rows() {
		return browser.driver.findElements(By.cssSelector("#listener-detail tr.dir-in td.c-text"))
			.stream()
			.map(WebElement::getText)
			.toList();
	}

	private int listenerPort() {
		String title = browser.visible(By.cssSelector("#listener-detail h2 .mono")).getText();
		return Integer.parseInt(title.substring(title.lastIndexOf(':') + 1));
	}

	private String listenerId(int listenerPort) {
		for (JsonNode listener : this.http.get("/api/v1/listeners?limit=1000").json().path("listeners")) {
			if (listener.path("port").asInt() == listenerPort && "open".equals(listener.path("state").asString())) {
				return listener.path("id").asString();
			}
		}
		throw new AssertionError("no open listener on port " + listenerPort);
	}

}
