import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Direct-socket baseline: the same 13-byte CRLF line request/reply the gateway does,
 * straight from this process to the upstream, one request at a time on one kept-open
 * connection (as a pooled gateway connection is), timed in-process with System.nanoTime.
 *
 * <pre>
 * java bench/Direct.java host port warmupRequests requests
 * </pre>
 *
 * Prints one line: "RESULT direct n=N p50_us=X p99_us=Y mean_us=Z errors=E".
 */
public final class Direct {

	static final byte[] REQUEST = "hello, world!\r\n".getBytes(StandardCharsets.US_ASCII);

	public static void main(String[] args) throws IOException {
		String host = args[0];
		int port = Integer.parseInt(args[1]);
		int warmup = Integer.parseInt(args[2]);
		int requests = Integer.parseInt(args[3]);
		System.out.println(run(host, port, warmup, requests).line());
	}

	/**
	 * Runs the baseline.
	 * @param host upstream host
	 * @param port upstream TCP line-echo port
	 * @param warmup untimed requests first
	 * @param requests timed requests
	 * @return the figures
	 * @throws IOException when the upstream fails
	 */
	public static Result run(String host, int port, int warmup, int requests) throws IOException {
		long[] nanos = new long[requests];
		int errors = 0;
		try (Socket socket = new Socket()) {
			socket.setTcpNoDelay(true);
			socket.connect(new InetSocketAddress(host, port), 5000);
			socket.setSoTimeout(10_000);
			OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 256);
			InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
			byte[] reply = new byte[256];
			for (int i = 0; i < warmup + requests; i++) {
				long start = System.nanoTime();
				out.write(REQUEST);
				out.flush();
				int length = readLine(in, reply);
				long took = System.nanoTime() - start;
				if (length != REQUEST.length) {
					errors++;
				}
				if (i >= warmup) {
					nanos[i - warmup] = took;
				}
			}
		}
		Arrays.sort(nanos);
		double mean = Arrays.stream(nanos).average().orElse(0) / 1000.0;
		return new Result(requests, percentile(nanos, 50) / 1000.0, percentile(nanos, 99) / 1000.0, mean, errors);
	}

	private static int readLine(InputStream in, byte[] into) throws IOException {
		int n = 0;
		while (true) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("upstream closed after " + n + " bytes");
			}
			if (n < into.length) {
				into[n] = (byte) b;
			}
			n++;
			if (b == '\n') {
				return n;
			}
		}
	}

	static long percentile(long[] sorted, double p) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	/**
	 * Baseline figures in microseconds.
	 *
	 * @param requests timed requests
	 * @param p50 median
	 * @param p99 99th percentile
	 * @param mean mean
	 * @param errors replies that were not the request echoed
	 */
	public record Result(int requests, double p50, double p99, double mean, int errors) {

		String line() {
			return String.format(java.util.Locale.ROOT, "RESULT direct n=%d p50_us=%.1f p99_us=%.1f mean_us=%.1f errors=%d",
					this.requests, this.p50, this.p99, this.mean, this.errors);
		}

	}

}
