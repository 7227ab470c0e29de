import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens many persistent TCP sessions through the gateway, with a bounded number of
 * requests in flight, leaves them open, and checks that one of them still answers.
 *
 * <pre>
 * java bench/Sessions.java baseUrl targetName count inFlight [socket|httpclient]
 * </pre>
 *
 * baseUrl is the gateway's API root, e.g. http://127.0.0.1:8080. Prints:
 * "RESULT sessions opened=N failed=F seconds=S rate=R answered=true|false client=C id=ID".
 * The sessions stay open in the gateway when this program exits.
 * <p>
 * The default client ({@code socket}) is one thread per request in flight, each writing
 * the same HTTP/1.1 POST on its own keep-alive connection and reading the answer (status,
 * headers, Content-Length or chunked body), reconnecting when the gateway closes the
 * connection: a few microseconds of CPU per request, so the figure is the gateway's.
 * {@code httpclient} is the JDK's {@code java.net.http.HttpClient} with
 * {@code sendAsync}, which spends about as much CPU per request as the gateway does and
 * shares its two cores (the figure bench/run reported before the socket client).
 */
public final class Sessions {

	private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

	public static void main(String[] args) throws Exception {
		String client = (args.length > 4) ? args[4] : "socket";
		Result result = switch (client) {
			case "socket" -> run(args[0], args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
			case "httpclient" ->
				runHttpClient(args[0], args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
			default -> throw new IllegalArgumentException("client must be socket or httpclient: " + client);
		};
		System.out.println(result.line());
		if (!result.errors().isEmpty()) {
			System.out.println("first errors: " + result.errors());
		}
	}

	/**
	 * Opens the sessions over plain keep-alive sockets, {@code inFlight} at a time, and
	 * sends one message with awaitReply on one of them.
	 * @param baseUrl the gateway's API root ({@code http://host:port})
	 * @param target the named TCP line-echo target
	 * @param count sessions to open
	 * @param inFlight most open requests at once
	 * @return the figures
	 * @throws Exception when the client itself fails
	 */
	public static Result run(String baseUrl, String target, int count, int inFlight) throws Exception {
		URI base = URI.create(baseUrl);
		InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
		byte[] body = ("{\"target\":\"" + target + "\",\"framing\":\"crlf\"}").getBytes(StandardCharsets.UTF_8);
		byte[] head = ("POST /api/v1/tcp/connections HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
				+ "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: " + body.length
				+ "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		byte[] request = new byte[head.length + body.length];
		System.arraycopy(head, 0, request, 0, head.length);
		System.arraycopy(body, 0, request, head.length, body.length);
		AtomicInteger next = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		List<String> ids = Collections.synchronizedList(new ArrayList<>());
		List<String> errors = Collections.synchronizedList(new ArrayList<>());
		CountDownLatch go = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < Math.min(inFlight, count); t++) {
			Thread thread = new Thread(() -> {
				Connection connection = null;
				try {
					go.await();
					while (next.getAndIncrement() < count) {
						try {
							if (connection == null) {
								connection = new Connection(address);
							}
							Response response = connection.exchange(request);
							if (!response.keepAlive()) {
								connection.close();
								connection = null;
							}
							Matcher matcher = ID.matcher(response.body());
							if (response.status() == 201 && matcher.find()) {
								ids.add(matcher.group(1));
								continue;
							}
							fail(failed, errors, response.status() + " " + response.body());
						}
						catch (IOException ex) {
							if (connection != null) {
								connection.close();
								connection = null;
							}
							fail(failed, errors, ex.toString());
						}
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					if (connection != null) {
						connection.close();
					}
				}
			}, "sessions-" + t);
			thread.start();
			threads.add(thread);
		}
		long start = System.nanoTime();
		go.countDown();
		for (Thread thread : threads) {
			thread.join();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		return finish(newClient(), baseUrl, ids, failed.get(), seconds, errors, "socket");
	}

	/**
	 * Opens the sessions with {@code java.net.http.HttpClient}, as bench/run did before
	 * the socket client.
	 * @param baseUrl the gateway's API root
	 * @param target the named TCP line-echo target
	 * @param count sessions to open
	 * @param inFlight most open requests at once
	 * @return the figures
	 * @throws Exception when the client itself fails
	 */
	public static Result runHttpClient(String baseUrl, String target, int count, int inFlight) throws Exception {
		HttpClient client = newClient();
		URI connections = URI.create(baseUrl + "/api/v1/tcp/connections");
		String body = "{\"target\":\"" + target + "\",\"framing\":\"crlf\"}";
		Semaphore permits = new Semaphore(inFlight);
		AtomicInteger failed = new AtomicInteger();
		List<String> ids = Collections.synchronizedList(new ArrayList<>());
		List<String> errors = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<?>> pending = new ArrayList<>();
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			permits.acquire();
			HttpRequest request = HttpRequest.newBuilder(connections)
				.timeout(Duration.ofSeconds(30))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build();
			pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, ex) -> {
				permits.release();
				if (ex == null && response.statusCode() == 201) {
					Matcher matcher = ID.matcher(response.body());
					if (matcher.find()) {
						ids.add(matcher.group(1));
						return;
					}
				}
				fail(failed, errors, (ex != null) ? ex.toString() : response.statusCode() + " " + response.body());
			}));
		}
		CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).handle((v, ex) -> null).join();
		double seconds = (System.nanoTime() - start) / 1e9;
		return finish(client, baseUrl, ids, failed.get(), seconds, errors, "httpclient");
	}

	private static HttpClient newClient() {
		return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
	}

	private static void fail(AtomicInteger failed, List<String> errors, String error) {
		failed.incrementAndGet();
		if (errors.size() < 3) {
			errors.add(error);
		}
	}

	private static Result finish(HttpClient client, String baseUrl, List<String> ids, int failed, double seconds,
			List<String> errors, String kind) throws Exception {
		boolean answered = false;
		String probe = ids.isEmpty() ? "" : ids.get(ids.size() / 2);
		if (!probe.isEmpty()) {
			answered = answers(client, baseUrl, probe);
		}
		return new Result(ids.size(), failed, seconds, answered, probe, List.copyOf(errors), kind);
	}

	/**
	 * Sends "ping" with awaitReply on a session and checks the echo.
	 * @param client the HTTP client
	 * @param baseUrl the gateway's API root
	 * @param id the session id
	 * @return whether the session echoed the message
	 * @throws Exception when the client itself fails
	 */
	public static boolean answers(HttpClient client, String baseUrl, String id) throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(baseUrl + "/api/v1/tcp/connections/" + id + "/messages"))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"payload\":\"ping\",\"awaitReply\":true,\"replyTimeoutMs\":5000}"))
			.build();
		HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
		return response.statusCode() == 200 && response.body().contains("\"payload\":\"ping\"");
	}

	/**
	 * One HTTP/1.1 keep-alive connection, one request at a time.
	 */
	static final class Connection {

		private final Socket socket;

		private final InputStream in;

		private final OutputStream out;

		Connection(InetSocketAddress address) throws IOException {
			this.socket = new Socket();
			try {
				this.socket.setTcpNoDelay(true);
				this.socket.connect(address, 5_000);
				this.socket.setSoTimeout(30_000);
				this.in = new BufferedInputStream(this.socket.getInputStream(), 8192);
				this.out = this.socket.getOutputStream();
			}
			catch (IOException ex) {
				this.socket.close();
				throw ex;
			}
		}

		Response exchange(byte[] request) throws IOException {
			this.out.write(request);
			this.out.flush();
			String statusLine = line();
			String[] parts = statusLine.split(" ", 3);
			if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
				throw new IOException("not an HTTP/1.x status line: " + statusLine);
			}
			int status = Integer.parseInt(parts[1]);
			boolean keepAlive = parts[0].equals("HTTP/1.1");
			int length = -1;
			boolean chunked = false;
			for (String header = line(); !header.isEmpty(); header = line()) {
				int colon = header.indexOf(':');
				if (colon < 0) {
					continue;
				}
				String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
				String value = header.substring(colon + 1).trim();
				switch (name) {
					case "content-length" -> length = Integer.parseInt(value);
					case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
					case "connection" -> keepAlive = !value.equalsIgnoreCase("close");
					default -> {
					}
				}
			}
			byte[] body;
			if (chunked) {
				ByteArrayOutputStream buffer = new ByteArrayOutputStream();
				for (int size = chunkSize(line()); size > 0; size = chunkSize(line())) {
					buffer.write(this.in.readNBytes(size));
					line();
				}
				for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
					// trailers are ignored
				}
				body = buffer.toByteArray();
			}
			else if (length >= 0) {
				body = this.in.readNBytes(length);
				if (body.length < length) {
					throw new EOFException("connection closed in the body");
				}
			}
			else {
				body = this.in.readAllBytes();
				keepAlive = false;
			}
			return new Response(status, new String(body, StandardCharsets.UTF_8), keepAlive);
		}

		private static int chunkSize(String line) {
			int semicolon = line.indexOf(';');
			return Integer.parseInt((semicolon >= 0) ? line.substring(0, semicolon).trim() : line.trim(), 16);
		}

		private String line() throws IOException {
			StringBuilder line = new StringBuilder(64);
			while (true) {
				int b = this.in.read();
				if (b < 0) {
					throw new EOFException("connection closed by the gateway");
				}
				if (b == '\n') {
					int end = line.length();
					if (end > 0 && line.charAt(end - 1) == '\r') {
						line.setLength(end - 1);
					}
					return line.toString();
				}
				line.append((char) b);
			}
		}

		void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}

	}

	record Response(int status, String body, boolean keepAlive) {
	}

	/**
	 * What came out.
	 *
	 * @param opened sessions opened (201)
	 * @param failed sessions not opened
	 * @param seconds wall time to open them all
	 * @param answered whether one session echoed a message afterwards
	 * @param probeId the session that was asked
	 * @param errors the first few failures
	 * @param client which client opened them ({@code socket} or {@code httpclient})
	 */
	public record Result(int opened, int failed, double seconds, boolean answered, String probeId,
			List<String> errors, String client) {

		public double rate() {
			return (this.seconds > 0) ? this.opened / this.seconds : 0;
		}

		String line() {
			return String.format(Locale.ROOT,
					"RESULT sessions opened=%d failed=%d seconds=%.2f rate=%.0f answered=%s client=%s id=%s",
					this.opened, this.failed, this.seconds, rate(), this.answered, this.client, this.probeId);
		}

	}

}
