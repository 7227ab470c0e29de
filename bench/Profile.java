import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.tools.attach.VirtualMachine;

/**
 * The two Java halves of bench/profile.
 *
 * <pre>
 * java bench/Profile.java attach PID LIBRARY OPTIONS   load async-profiler into a JVM (start, stop)
 * java bench/Profile.java report FILE REQUESTS [THREADS]
 * </pre>
 *
 * {@code report} reads async-profiler's collapsed stacks (taken with {@code threads},
 * {@code interval=1ms}, CPU samples) and prints the CPU time per request of the threads
 * whose name contains THREADS (default {@code ForkJoinPool}: the virtual threads' carriers,
 * that is the request threads on JDK 21+), by category: each sample goes to the innermost
 * frame that belongs to a known component, kernel time to the Java frame above it, so
 * that a socket write shows as {@code sys-write} and not as the JDK method that issued it.
 */
public final class Profile {

	/** Innermost frame prefix to category; the first match wins. */
	private static final String[][] CATEGORIES = { { "sun/nio/ch/SocketDispatcher.write0", "syscall: socket write" },
			{ "sun/nio/ch/SocketDispatcher.read0", "syscall: socket read" },
			{ "sun/nio/ch/DatagramChannelImpl.send", "syscall: datagram send" },
			{ "jdk/internal/misc/Unsafe.park", "park (thread waits)" },
			{ "jdk/internal/misc/Unsafe.unpark", "unpark (wakes a thread)" },
			{ "java/io/FileOutputStream.writeBytes", "logging" }, { "sun/nio/ch/EventFD", "selector wake-ups" },
			{ "sun/nio/ch/EPoll", "selector wake-ups" }, { "dev/socketgateway/tcp", "gateway: tcp pool" },
			{ "dev/socketgateway/udp", "gateway: udp" }, { "dev/socketgateway/session", "gateway: sessions" },
			{ "dev/socketgateway/payload", "gateway: payload, framing" },
			{ "dev/socketgateway/egress", "gateway: targets, policy" },
			{ "dev/socketgateway/metrics/AuditLog", "logging" }, { "dev/socketgateway", "gateway: other" },
			{ "ch/qos/logback", "logging" }, { "org/slf4j", "logging" }, { "org/apache/commons/logging", "logging" },
			{ "io/micrometer", "micrometer" }, { "tools/jackson", "jackson" },
			{ "org/springframework/security", "spring security" },
			{ "org/springframework/integration", "spring integration" },
			{ "org/springframework/messaging", "spring integration" }, { "org/hibernate/validator", "validation" },
			{ "org/springframework/validation", "validation" }, { "org/springframework/web", "spring mvc" },
			{ "org/springframework/http", "spring mvc" }, { "org/springframework", "spring other" },
			{ "org/apache", "tomcat" }, { "java/lang/VirtualThread", "virtual threads" },
			{ "jdk/internal/vm/Continuation", "virtual threads" },
			{ "java/util/concurrent/ForkJoinPool", "virtual threads" }, { "sun/nio/ch", "jdk nio" } };

	private Profile() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length >= 4 && args[0].equals("attach")) {
			VirtualMachine vm = VirtualMachine.attach(args[1]);
			try {
				vm.loadAgentPath(args[2], args[3]);
			}
			finally {
				vm.detach();
			}
			return;
		}
		if (args.length >= 3 && args[0].equals("report")) {
			report(Path.of(args[1]), Long.parseLong(args[2]), (args.length > 3) ? args[3] : "ForkJoinPool");
			return;
		}
		System.err.println("usage: Profile attach PID LIBRARY OPTIONS | Profile report FILE REQUESTS [THREADS]");
		System.exit(2);
	}

	private static void report(Path file, long requests, String threads) throws IOException {
		Map<String, Long> byCategory = new LinkedHashMap<>();
		long total = 0;
		for (String line : Files.readAllLines(file)) {
			int space = line.lastIndexOf(' ');
			if (space < 0) {
				continue;
			}
			String[] frames = line.substring(0, space).split(";");
			if (!frames[0].contains(threads)) {
				continue;
			}
			long samples = Long.parseLong(line.substring(space + 1).trim());
			total += samples;
			byCategory.merge(category(frames), samples, Long::sum);
		}
		List<Map.Entry<String, Long>> sorted = new ArrayList<>(byCategory.entrySet());
		sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
		System.out.printf("%d ms of CPU in threads named *%s* over %d requests: %.1f µs per request%n", total, threads,
				requests, total * 1000.0 / requests);
		for (Map.Entry<String, Long> entry : sorted) {
			System.out.printf("  %6.1f µs  %5.1f %%  %s%n", entry.getValue() * 1000.0 / requests,
					entry.getValue() * 100.0 / total, entry.getKey());
		}
	}

	private static String category(String[] frames) {
		for (int i = frames.length - 1; i > 0; i--) {
			String frame = frames[i];
			if (frame.endsWith("_[k]") || !frame.contains("/")) {
				continue;
			}
			for (String[] category : CATEGORIES) {
				if (frame.startsWith(category[0])) {
					return category[1];
				}
			}
		}
		return "jvm, jit, other";
	}

}
