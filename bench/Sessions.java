import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens many persistent TCP sessions through the gateway, with a bounded number of
 * requests in flight, leaves them open, and checks that one of them still answers.
 *
 * <pre>
 * java bench/Sessions.java baseUrl targetName count inFlight
 * </pre>
 *
 * baseUrl is the gateway's API root, e.g. http://127.0.0.1:8080. Prints:
 * "RESULT sessions opened=N failed=F seconds=S rate=R answered=true|false id=ID".
 * The sessions stay open in the gateway when this program exits.
 */
public final class Sessions {

	private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

	public static void main(String[] args) throws Exception {
		Result result = run(args[0], args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
		System.out.println(result.line());
		if (!result.errors().isEmpty()) {
			System.out.println("first errors: " + result.errors());
		}
	}

	/**
	 * Opens the sessions and sends one message with awaitReply on one of them.
	 * @param baseUrl the gateway's API root
	 * @param target the named TCP line-echo target
	 * @param count sessions to open
	 * @param inFlight most open requests at once
	 * @return the figures
	 * @throws Exception when the client itself fails
	 */
	public static Result run(String baseUrl, String target, int count, int inFlight) throws Exception {
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
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
				failed.incrementAndGet();
				if (errors.size() < 3) {
					errors.add((ex != null) ? ex.toString() : response.statusCode() + " " + response.body());
				}
			}));
		}
		CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).handle((v, ex) -> null).join();
		double seconds = (System.nanoTime() - start) / 1e9;
		boolean answered = false;
		String probe = ids.isEmpty() ? "" : ids.get(ids.size() / 2);
		if (!probe.isEmpty()) {
			answered = answers(client, baseUrl, probe);
		}
		return new Result(ids.size(), failed.get(), seconds, answered, probe, List.copyOf(errors));
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
	 * What came out.
	 *
	 * @param opened sessions opened (201)
	 * @param failed sessions not opened
	 * @param seconds wall time to open them all
	 * @param answered whether one session echoed a message afterwards
	 * @param probeId the session that was asked
	 * @param errors the first few failures
	 */
	public record Result(int opened, int failed, double seconds, boolean answered, String probeId,
			List<String> errors) {

		public double rate() {
			return (this.seconds > 0) ? this.opened / this.seconds : 0;
		}

		String line() {
			return String.format(Locale.ROOT, "RESULT sessions opened=%d failed=%d seconds=%.2f rate=%.0f answered=%s id=%s",
					this.opened, this.failed, this.seconds, rate(), this.answered, this.probeId);
		}

	}

}
