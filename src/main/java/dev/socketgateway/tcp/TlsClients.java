package dev.socketgateway.tcp;

import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLContext;
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
		return this.factories.computeIfAbsent((bundle != null) ? bundle : JDK_DEFAULT, this::create);
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

}
