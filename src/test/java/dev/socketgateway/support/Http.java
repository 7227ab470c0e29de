package dev.socketgateway.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for end-to-end tests: what curl would send and see.
 */
public final class Http {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	private final Map<String, String> headers;

	public Http(int port) {
		this(port, Map.of());
	}

	public Http(int port, Map<String, String> headers) {
		this.base = "http://127.0.0.1:" + port;
		this.headers = headers;
	}

	/**
	 * POSTs a JSON body built from a map or record.
	 * @param path the path
	 * @param body the body
	 * @return the response
	 */
	public Response postJson(String path, Object body) {
		return post(path, "application/json", JSON.writeValueAsBytes(body), null);
	}

	/**
	 * POSTs a raw body.
	 * @param path the path
	 * @param contentType the content type
	 * @param body the body
	 * @param accept the Accept header, or {@code null}
	 * @return the response
	 */
	public Response post(String path, String contentType, byte[] body, String accept) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (accept != null) {
			request.header("Accept", accept);
		}
		return send(request);
	}

	/**
	 * GETs a path.
	 * @param path the path
	 * @return the response
	 */
	public Response get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).timeout(Duration.ofSeconds(60)).GET());
	}

	/**
	 * GETs a page of messages (a session's or a listener's) and keeps their payloads.
	 * @param path the messages path with its query
	 * @return the payloads, oldest first
	 */
	public List<String> payloads(String path) {
		List<String> payloads = new ArrayList<>();
		get(path).json().path("messages").forEach((m) -> payloads.add(m.path("payload").asString()));
		return payloads;
	}

	/**
	 * DELETEs a path.
	 * @param path the path
	 * @return the response
	 */
	public Response delete(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).timeout(Duration.ofSeconds(60)).DELETE());
	}

	private Response send(HttpRequest.Builder request) {
		this.headers.forEach(request::header);
		try {
			HttpResponse<byte[]> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			return new Response(response.statusCode(), response, response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A response.
	 *
	 * @param status the status code
	 * @param raw the full response
	 * @param body the body bytes
	 */
	public record Response(int status, HttpResponse<byte[]> raw, byte[] body) {

		public JsonNode json() {
			return JSON.readTree(this.body);
		}

		public String header(String name) {
			return this.raw.headers().firstValue(name).orElse(null);
		}

		public String text() {
			return new String(this.body, java.nio.charset.StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return this.status + " " + text();
		}

	}

}
