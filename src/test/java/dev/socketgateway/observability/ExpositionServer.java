package dev.socketgateway.observability;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Serves a fixed Prometheus text exposition on 127.0.0.1 at {@value #PATH}, standing in
 * for the gateway's actuator endpoint. Optionally counters grow with every scrape (value
 * × scrape number), so {@code rate()} and {@code histogram_quantile()} see traffic.
 */
final class ExpositionServer implements AutoCloseable {

	static final String PATH = "/actuator/prometheus";

	// the sample value is the last field of a line: name{labels} value
	private static final Pattern COUNTER_SAMPLE = Pattern
		.compile("^(\\w+(?:_total|_count|_sum|_bucket)(?:\\{.*})?\\s+)(\\S+)$");

	private final HttpServer server;

	private final String exposition;

	private final boolean growingCounters;

	private final AtomicInteger scrapes = new AtomicInteger();

	private ExpositionServer(String exposition, boolean growingCounters) {
		this.exposition = exposition;
		this.growingCounters = growingCounters;
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext(PATH, this::handle);
		this.server.start();
	}

	/**
	 * Serves {@code exposition} as it is, on every scrape.
	 */
	static ExpositionServer fixed(String exposition) {
		return new ExpositionServer(exposition, false);
	}

	/**
	 * Serves {@code exposition} with every counter, histogram bucket, count and sum
	 * multiplied by the scrape number.
	 */
	static ExpositionServer growing(String exposition) {
		return new ExpositionServer(exposition, true);
	}

	String target() {
		return "127.0.0.1:" + this.server.getAddress().getPort();
	}

	int scrapes() {
		return this.scrapes.get();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		int scrape = this.scrapes.incrementAndGet();
		String body = this.growingCounters ? grow(this.exposition, scrape) : this.exposition;
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static String grow(String exposition, int factor) {
		StringBuilder grown = new StringBuilder();
		for (String line : exposition.split("\n")) {
			Matcher matcher = COUNTER_SAMPLE.matcher(line);
			if (matcher.matches()) {
				BigDecimal value = new BigDecimal(matcher.group(2)).multiply(BigDecimal.valueOf(factor));
				grown.append(matcher.group(1)).append(value.toPlainString());
			}
			else {
				grown.append(line);
			}
			grown.append('\n');
		}
		return grown.toString();
	}

}
