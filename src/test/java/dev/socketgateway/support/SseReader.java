package dev.socketgateway.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a {@code text/event-stream} line by line, as {@code curl -N} shows it, and hands
 * out complete events.
 */
public final class SseReader implements AutoCloseable {

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private final InputStream body;

	private final int status;

	public SseReader(int port, String path, Map<String, String> headers) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newHttpClient();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Accept", "text/event-stream")
			.timeout(Duration.ofSeconds(60));
		headers.forEach(request::header);
		HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
		this.status = response.statusCode();
		this.body = response.body();
		Thread reader = new Thread(this::read, "sse-reader");
		reader.setDaemon(true);
		reader.start();
	}

	public int status() {
		return this.status;
	}

	private void read() {
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(this.body, StandardCharsets.UTF_8))) {
			Map<String, String> fields = new HashMap<>();
			String line;
			while ((line = lines.readLine()) != null) {
				if (line.isEmpty()) {
					if (!fields.isEmpty()) {
						this.events.add(new Event(fields.get("event"), fields.get("id"), fields.get("data")));
						fields = new HashMap<>();
					}
					continue;
				}
				if (line.startsWith(":")) {
					continue;
				}
				int colon = line.indexOf(':');
				String name = (colon < 0) ? line : line.substring(0, colon);
				String value = (colon < 0) ? "" : line.substring(colon + 1);
				if (value.startsWith(" ")) {
					value = value.substring(1);
				}
				fields.merge(name, value, (a, b) -> a + "\n" + b);
			}
		}
		catch (IOException ex) {
			// stream ended
		}
	}

	/**
	 * The next complete event.
	 * @param seconds how long to wait
	 * @return the event, or {@code null} on timeout
	 * @throws InterruptedException if interrupted
	 */
	public Event next(int seconds) throws InterruptedException {
		return this.events.poll(seconds, TimeUnit.SECONDS);
	}

	@Override
	public void close() throws IOException {
		this.body.close();
	}

	/**
	 * One server-sent event.
	 *
	 * @param name the event name
	 * @param id the id
	 * @param data the data
	 */
	public record Event(String name, String id, String data) {
	}

}
