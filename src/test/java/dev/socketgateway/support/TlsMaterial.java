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
		TlsMaterial material = new TlsMaterial(dir, RequiredBinary.find("openssl"), name);
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
	 * A client-side TLS context that trusts only this CA, e.g. to connect to a TLS
	 * listener the way a user's client would.
	 * @return the context
	 */
	public javax.net.ssl.SSLContext trustingContext() {
		try (java.io.InputStream in = Files.newInputStream(caCertificate())) {
			java.security.cert.Certificate ca = java.security.cert.CertificateFactory.getInstance("X.509")
				.generateCertificate(in);
			java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
			trust.load(null, null);
			trust.setCertificateEntry("ca", ca);
			javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory
				.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
			factory.init(trust);
			javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
			context.init(null, factory.getTrustManagers(), null);
			return context;
		}
		catch (IOException | java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A server certificate and its private key.
	 *
	 * @param certificate PEM certificate
	 * @param key PEM private key (PKCS#8, EC P-256, as {@code openssl req} writes it)
	 */
	public record ServerCertificate(Path certificate, Path key) {

		/**
		 * A server-side TLS context serving this certificate, for JDK TLS peers.
		 * @return the context
		 */
		public javax.net.ssl.SSLContext serverContext() {
			try (java.io.InputStream in = Files.newInputStream(this.certificate)) {
				java.security.cert.Certificate cert = java.security.cert.CertificateFactory.getInstance("X.509")
					.generateCertificate(in);
				String pem = Files.readString(this.key, StandardCharsets.US_ASCII)
					.replaceAll("-----[A-Z ]+-----", "")
					.replaceAll("\\s", "");
				java.security.PrivateKey privateKey = java.security.KeyFactory.getInstance("EC")
					.generatePrivate(
							new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(pem)));
				java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
				keys.load(null, null);
				keys.setKeyEntry("server", privateKey, new char[0], new java.security.cert.Certificate[] { cert });
				javax.net.ssl.KeyManagerFactory factory = javax.net.ssl.KeyManagerFactory
					.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
				factory.init(keys, new char[0]);
				javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
				context.init(factory.getKeyManagers(), null, null);
				return context;
			}
			catch (IOException | java.security.GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
