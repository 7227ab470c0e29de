package dev.socketgateway.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.socketgateway.support.RequiredBinary;

/**
 * Debian's headless Chromium driven by its chromedriver (never one Selenium Manager
 * downloads), one per test class; screenshots go to {@code -Dconsole.screenshots=DIR}
 * when that property is set.
 */
final class Browser implements AutoCloseable {

	static final String SCREENSHOTS = "console.screenshots";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	final ChromeDriver driver;

	private final String base;

	private final List<JsonNode> requests = new ArrayList<>();

	private Browser(ChromeDriver driver, int port) {
		this.driver = driver;
		this.base = "http://127.0.0.1:" + port;
	}

	static Browser start(int port) {
		Path chromium = RequiredBinary.find("chromium");
		Path chromedriver = RequiredBinary.find("chromedriver");
		System.setProperty("webdriver.chrome.driver", chromedriver.toString());
		ChromeOptions options = new ChromeOptions();
		options.setBinary(chromium.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=1280,800", "--hide-scrollbars", "--no-first-run", "--disable-extensions",
				"--force-device-scale-factor=1");
		LoggingPreferences logging = new LoggingPreferences();
		logging.enable(LogType.PERFORMANCE, Level.ALL);
		options.setCapability("goog:loggingPrefs", logging);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		Browser browser = new Browser(driver, port);
		browser.resize(1280, 800);
		return browser;
	}

	/**
	 * Loads a fresh page (a fragment change alone would keep the previous page).
	 * @param path the path and fragment
	 */
	void open(String path) {
		this.driver.get("about:blank");
		this.driver.get(this.base + path);
	}

	<T> T await(Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
			.until(condition);
	}

	WebElement visible(By by) {
		return await((d) -> {
			List<WebElement> found = d.findElements(by);
			return (!found.isEmpty() && found.get(0).isDisplayed()) ? found.get(0) : null;
		});
	}

	void click(By by) {
		visible(by).click();
	}

	void type(By by, CharSequence text) {
		WebElement element = visible(by);
		element.clear();
		element.sendKeys(text);
	}

	Object script(String script, Object... args) {
		return this.driver.executeScript(script, args);
	}

	/**
	 * Every request Chrome sent so far, from its performance log
	 * ({@code Network.requestWillBeSent}): {@code url} and {@code headers}.
	 * @return the requests, oldest first
	 */
	List<JsonNode> requests() {
		for (LogEntry entry : this.driver.manage().logs().get(LogType.PERFORMANCE)) {
			JsonNode message = JSON.readTree(entry.getMessage()).path("message");
			if ("Network.requestWillBeSent".equals(message.path("method").asString())) {
				this.requests.add(message.path("params").path("request"));
			}
		}
		return this.requests;
	}

	/**
	 * Saves a screenshot as {@code NAME.png} in the {@code console.screenshots} folder,
	 * if that property is set.
	 * @param name the file name without extension
	 */
	void screenshot(String name) {
		String folder = System.getProperty(SCREENSHOTS);
		if (folder == null || folder.isBlank()) {
			return;
		}
		// no toast or focus ring over the picture
		script("const n = document.getElementById('notice'); n.style.transition = 'none'; n.classList.remove('shown');"
				+ " document.activeElement.blur()");
		try {
			Path dir = Files.createDirectories(Path.of(folder));
			Files.write(dir.resolve(name + ".png"), this.driver.getScreenshotAs(OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Sizes the viewport (not the window) to {@code width} x {@code height}.
	 * @param width CSS pixels
	 * @param height CSS pixels
	 */
	void resize(int width, int height) {
		this.driver.manage().window().setSize(new Dimension(width, height));
		Map<String, Object> inner = metrics();
		int dx = width - ((Number) inner.get("innerWidth")).intValue();
		int dy = height - ((Number) inner.get("innerHeight")).intValue();
		if (dx != 0 || dy != 0) {
			this.driver.manage().window().setSize(new Dimension(width + dx, height + dy));
		}
	}

	Map<String, Object> metrics() {
		@SuppressWarnings("unchecked")
		Map<String, Object> result = (Map<String, Object>) script(
				"return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, "
						+ "innerHeight: window.innerHeight}");
		return result;
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
