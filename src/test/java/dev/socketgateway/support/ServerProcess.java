package dev.socketgateway.support;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * A real server (redis-server, aiosmtpd, blackbox_exporter...) started as a process on a
 * free loopback port, ready once its port accepts, and stopped by {@link #close()}.
 */
public final class ServerProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path log;

	private ServerProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * A free port on 127.0.0.1 (bound, then released).
	 * @return the port
	 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Starts a process and waits until {@code port} accepts TCP connections.
	 * @param port the port it listens on
	 * @param command the command line
	 * @return the running server
	 */
	public static ServerProcess start(int port, List<String> command) {
		try {
			Path log = Files.createTempFile("sg-server-", ".log");
			Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			ServerProcess server = new ServerProcess(process, port, log);
			try {
				Awaitility.await()
					.atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(50))
					.until(() -> !process.isAlive() || accepts(port));
			}
			catch (RuntimeException ex) {
				server.close();
				throw ex;
			}
			if (!process.isAlive()) {
				throw new IllegalStateException(command + " exited: " + server.output());
			}
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The system Python that has Debian's aiosmtpd ({@code /usr/bin/python3}), else
	 * {@code python3} on the PATH.
	 * @return the interpreter
	 */
	public static Path python() {
		File debian = new File("/usr/bin/python3");
		return debian.canExecute() ? debian.toPath() : RequiredBinary.find("python3");
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	public int port() {
		return this.port;
	}

	/**
	 * What the process printed so far.
	 * @return its output
	 */
	public String output() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "";
		}
	}

	@Override
	public void close() {
		stop(this.process);
		try {
			Files.deleteIfExists(this.log);
		}
		catch (IOException ex) {
			// a temp file
		}
	}

	/**
	 * Stops a process: asks it to end, and kills it when it has not ended within 10
	 * seconds.
	 * @param process the process
	 */
	public static void stop(Process process) {
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
