package dev.socketgateway.upstream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;

import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;

/**
 * Client-side TLS socket factories from Spring Boot SSL bundles, falling back to the JDK
 * trust store.
 */
@Component
public class TlsClients {

	private static final String JDK_DEFAULT = "";

	private final SslBundles bundles;

	private final @Nullable String clientBundle;

	private final Map<String, SSLSocketFactory> factories = new ConcurrentHashMap<>();

	public TlsClients(SslBundles bundles, GatewayProperties properties) {
		this.bundles = bundles;
		this.clientBundle = properties.tls().clientBundle();
	}

	/**
	 * The bundle name a connection uses: the target's, else the gateway's client bundle.
	 * @param targetBundle the named target's bundle, if any
	 * @return the effective bundle name, or {@code null} for the JDK trust store
	 */
	public @Nullable String effectiveBundle(@Nullable String targetBundle) {
		return (targetBundle != null) ? targetBundle : this.clientBundle;
	}

	/**
	 * A socket factory whose trust material verifies servers.
	 * @param bundle an SSL bundle name, or {@code null} for the JDK trust store
	 * @return the factory
	 */
	public SSLSocketFactory socketFactory(@Nullable String bundle) {
		return this.factories.computeIfAbsent((bundle != null) ? bundle : JDK_DEFAULT, this::trusted);
	}

	/**
	 * Which trust material verifies servers for a bundle, in the words a problem detail
	 * uses.
	 * @param bundle an SSL bundle name, or {@code null} for the JDK trust store
	 * @return e.g. {@code SSL bundle 'upstream' (gateway.tls.client-bundle)}
	 */
	public String describe(@Nullable String bundle) {
		if (bundle == null || bundle.isEmpty()) {
			return "the JDK trust store";
		}
		return "SSL bundle '" + bundle + "' ("
				+ (bundle.equals(this.clientBundle) ? "gateway.tls.client-bundle" : "the target's tls-bundle") + ")";
	}

	private SSLSocketFactory trusted(String bundle) {
		return new TrustedSocketFactory(create(bundle), describe(bundle));
	}

	/**
	 * The trust a factory verifies with, for problem details.
	 * @param sockets a factory from {@link #socketFactory(String)}, or another
	 * @return its description
	 */
	static String trustOf(SSLSocketFactory sockets) {
		return (sockets instanceof TrustedSocketFactory trusted) ? trusted.trust : "the client trust store";
	}

	/**
	 * Runs the TLS handshake over a connected socket, verifying the certificate against
	 * the requested host name (the socket went to the address the policy checked).
	 * @param plain the connected socket
	 * @param sockets the TLS socket factory
	 * @param serverName the requested host
	 * @param port the port
	 * @param timeoutMs time left for the handshake
	 * @return the TLS socket
	 * @throws IOException when the handshake fails or times out
	 */
	public static SSLSocket handshake(Socket plain, SSLSocketFactory sockets, String serverName, int port,
			long timeoutMs) throws IOException {
		SSLSocket ssl = (SSLSocket) sockets.createSocket(plain, serverName, port, true);
		SSLParameters parameters = ssl.getSSLParameters();
		parameters.setEndpointIdentificationAlgorithm("HTTPS");
		// SNI carries host names only: IPv4 literals have no letter, IPv6 literals have
		// colons.
		if (serverName.chars().anyMatch(Character::isLetter) && serverName.indexOf(':') < 0) {
			parameters.setServerNames(List.of(new SNIHostName(serverName)));
		}
		ssl.setSSLParameters(parameters);
		ssl.setSoTimeout((int) Math.max(1, timeoutMs));
		ssl.startHandshake();
		ssl.setSoTimeout(0);
		return ssl;
	}

	private SSLSocketFactory create(String bundle) {
		if (bundle.isEmpty()) {
			try {
				return SSLContext.getDefault().getSocketFactory();
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}
		try {
			return this.bundles.getBundle(bundle).createSslContext().getSocketFactory();
		}
		catch (NoSuchSslBundleException ex) {
			throw GatewayException.invalidField("tls",
					"SSL bundle '" + bundle + "' is not configured (spring.ssl.bundle.*)");
		}
	}

	/**
	 * A socket factory that knows which trust material it verifies with, so that an
	 * untrusted certificate's problem detail can name it.
	 */
	static final class TrustedSocketFactory extends SSLSocketFactory {

		private final SSLSocketFactory delegate;

		final String trust;

		TrustedSocketFactory(SSLSocketFactory delegate, String trust) {
			this.delegate = delegate;
			this.trust = trust;
		}

		@Override
		public String[] getDefaultCipherSuites() {
			return this.delegate.getDefaultCipherSuites();
		}

		@Override
		public String[] getSupportedCipherSuites() {
			return this.delegate.getSupportedCipherSuites();
		}

		@Override
		public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
			return this.delegate.createSocket(socket, host, port, autoClose);
		}

		@Override
		public Socket createSocket() throws IOException {
			return this.delegate.createSocket();
		}

		@Override
		public Socket createSocket(String host, int port) throws IOException {
			return this.delegate.createSocket(host, port);
		}

		@Override
		public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
			return this.delegate.createSocket(host, port, localHost, localPort);
		}

		@Override
		public Socket createSocket(InetAddress host, int port) throws IOException {
			return this.delegate.createSocket(host, port);
		}

		@Override
		public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
				throws IOException {
			return this.delegate.createSocket(address, port, localAddress, localPort);
		}

	}

}
