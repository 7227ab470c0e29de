package dev.socketgateway.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code openssl s_server -rev} on 127.0.0.1: a real TLS server that answers each line
 * reversed ({@code hello\n} → {@code olleh\n}). It needs a port up front, so one is found
 * by binding and closing a server socket.
 */
public final class OpenSslServer implements AutoCloseable {

	private final Process process;

	private final int port;

	private OpenSslServer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Starts the server and waits until it accepts.
	 * @param certificate what it serves
	 * @return the running server
	 * @throws IOException if it cannot start
	 */
	public static OpenSslServer start(TlsMaterial.ServerCertificate certificate) throws IOException {
		return start(certificate, List.of());
	}

	/**
	 * Starts a server that serves a second certificate to clients whose SNI names it (and
	 * the first certificate to clients without SNI).
	 * @param certificate served without SNI or for another name
	 * @param sniCertificate served when the client's SNI is {@code sniName}
	 * @param sniName the name
	 * @return the running server
	 * @throws IOException if it cannot start
	 */
	public static OpenSslServer startWithSni(TlsMaterial.ServerCertificate certificate,
			TlsMaterial.ServerCertificate sniCertificate, String sniName) throws IOException {
		return start(certificate, List.of("-cert2", sniCertificate.certificate().toString(), "-key2",
				sniCertificate.key().toString(), "-servername", sniName));
	}

	private static OpenSslServer start(TlsMaterial.ServerCertificate certificate, List<String> extra)
			throws IOException {
		Path openssl = RequiredBinary.find("openssl");
		int port;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = probe.getLocalPort();
		}
		List<String> command = new java.util.ArrayList<>(
				List.of(openssl.toString(), "s_server", "-accept", "127.0.0.1:" + port, "-cert",
						certificate.certificate().toString(), "-key", certificate.key().toString(), "-rev"));
		command.addAll(extra);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		CountDownLatch accepting = new CountDownLatch(1);
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					if (line.startsWith("ACCEPT")) {
						accepting.countDown();
					}
				}
			}
			catch (IOException ex) {
				// the process ended
			}
		}, "openssl-s_server-" + port);
		reader.setDaemon(true);
		reader.start();
		OpenSslServer server = new OpenSslServer(process, port);
		try {
			if (!accepting.await(20, TimeUnit.SECONDS)) {
				server.close();
				throw new IOException("openssl s_server did not start on port " + port);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			server.close();
			throw new IOException(ex);
		}
		return server;
	}

	public int port() {
		return this.port;
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

}
