package dev.socketgateway.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test certificates made with {@code openssl}: a CA, and server certificates it signs
 * with the subject alternative names a test asks for. Files are PEM, usable by Spring
 * Boot PEM SSL bundles ({@code spring.ssl.bundle.pem.<name>.truststore.certificate}) and
 * by {@code openssl s_server}.
 */
public final class TlsMaterial {

	private final Path dir;

	private final Path openssl;

	private final String prefix;

	private TlsMaterial(Path dir, Path openssl, String prefix) {
		this.dir = dir;
		this.openssl = openssl;
		this.prefix = prefix;
	}

	/**
	 * Creates a CA ({@code <name>-ca.pem}) in a directory.
	 * @param dir where the files go
	 * @param name a file prefix
	 * @return the material, ready to sign server certificates
	 */
	public static TlsMaterial ca(Path dir, String name) {
		TlsMaterial material = new TlsMaterial(dir, RequiredBinary.require("openssl"), name);
		material.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
				material.file(name + "-ca.key"), "-out", material.file(name + "-ca.pem"), "-days", "2", "-subj",
				"/CN=" + name + " test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
				"keyUsage=critical,keyCertSign");
		return material;
	}

	/**
	 * The CA certificate.
	 * @return its PEM file
	 */
	public Path caCertificate() {
		return this.dir.resolve(this.prefix + "-ca.pem");
	}

	/**
	 * Signs a server certificate.
	 * @param name file prefix of the certificate and key
	 * @param subjectAltNames e.g. {@code DNS:localhost,IP:127.0.0.1}
	 * @return the certificate and key files
	 */
	public ServerCertificate server(String name, String subjectAltNames) {
		String ext = file(name + ".ext");
		try {
			Files.writeString(Path.of(ext),
					"subjectAltName=" + subjectAltNames + "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
					StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", file(name + ".key"),
				"-out", file(name + ".csr"), "-subj", "/CN=" + name);
		run("x509", "-req", "-in", file(name + ".csr"), "-CA", caCertificate().toString(), "-CAkey",
				file(this.prefix + "-ca.key"), "-CAcreateserial", "-out", file(name + ".pem"), "-days", "2", "-extfile",
				ext);
		return new ServerCertificate(this.dir.resolve(name + ".pem"), this.dir.resolve(name + ".key"));
	}

	private String file(String name) {
		return this.dir.resolve(name).toString();
	}

	private void run(String... args) {
		List<String> command = new ArrayList<>();
		command.add(this.openssl.toString());
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.dir.resolve("openssl.log").toFile())
				.start();
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException(
						"openssl failed: " + command + "\n" + Files.readString(this.dir.resolve("openssl.log")));
			}
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
	 * A server certificate and its private key.
	 *
	 * @param certificate PEM certificate
	 * @param key PEM private key
	 */
	public record ServerCertificate(Path certificate, Path key) {
	}

}
