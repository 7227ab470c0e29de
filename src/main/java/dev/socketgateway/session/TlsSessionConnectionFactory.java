package dev.socketgateway.session;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.TaskExecutor;
import org.springframework.integration.ip.tcp.connection.TcpConnectionSupport;
import org.springframework.integration.ip.tcp.connection.TcpNetClientConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpNetConnection;
import org.springframework.integration.ip.tcp.connection.TcpNetConnectionSupport;

import dev.socketgateway.upstream.BufferedNetConnection;
import dev.socketgateway.upstream.Connector;

/**
 * A Spring Integration client factory for one TLS session. Spring Integration's NIO TLS
 * connection handshakes only on the first write, so a failed handshake would surface at
 * the first send and a server that speaks first would never be read; a blocking
 * connection handshakes while connecting instead, at the cost of one reader (a virtual
 * thread on JDK 21+) per TLS session.
 */
class TlsSessionConnectionFactory extends TcpNetClientConnectionFactory {

	private final InetAddress address;

	private final SessionConnectionFactory.Spec spec;

	private final SSLSocketFactory sockets;

	private final String serverName;

	TlsSessionConnectionFactory(InetAddress address, SessionConnectionFactory.Spec spec, SSLSocketFactory sockets,
			String serverName, TaskExecutor executor) {
		super(address.getHostAddress(), spec.port());
		this.address = address;
		this.spec = spec;
		this.sockets = sockets;
		this.serverName = serverName;
		setSingleUse(true);
		setSoTcpNoDelay(true);
		setLookupHost(false);
		setTaskExecutor(executor);
		setSerializer(spec.codec());
		setDeserializer(spec.codec());
		setApplicationEventPublisher((ApplicationEventPublisher) (event) -> {
		});
		setTcpNetConnectionSupport(new Support());
		registerListener((message) -> {
			// frames are taken in getPayload(), in wire order
		});
	}

	/**
	 * Connects, handshakes and starts reading.
	 * @return the open connection
	 * @throws InterruptedException if interrupted
	 */
	TlsSessionConnection connect() throws InterruptedException {
		start();
		try {
			return (TlsSessionConnection) getConnection();
		}
		catch (RuntimeException | InterruptedException ex) {
			stop();
			throw ex;
		}
	}

	@Override
	protected void initializeConnection(TcpConnectionSupport connection, Socket socket) {
		super.initializeConnection(connection, socket);
		// Before the reader starts: a server that speaks first must not be missed.
		((TlsSessionConnection) connection).end.bind(this.spec.sink(), (reason) -> {
			this.spec.onClose().accept(reason);
			stop();
		});
	}

	@Override
	protected Socket createSocket(String host, int port) throws IOException {
		return Connector.open(this.address, port, this.spec.connectTimeoutMs(), this.sockets, this.serverName).socket();
	}

	private static final class Support implements TcpNetConnectionSupport {

		@Override
		public TcpNetConnection createNewConnection(Socket socket, boolean server, boolean lookupHost,
				@Nullable ApplicationEventPublisher publisher, @Nullable String factoryName) {
			return new TlsSessionConnection(socket, server, lookupHost, publisher, factoryName);
		}

	}

	/**
	 * A TLS session's connection: frames go to the session in wire order, and the first
	 * close reason wins.
	 */
	static final class TlsSessionConnection extends BufferedNetConnection implements SessionLink {

		/** The blocking reader closes only after its last read: nothing is left then. */
		final ConnectionEnd end = new ConnectionEnd(() -> true);

		TlsSessionConnection(Socket socket, boolean server, boolean lookupHost,
				@Nullable ApplicationEventPublisher publisher, @Nullable String factoryName) {
			super(socket, server, lookupHost, publisher, factoryName);
			setNoReadErrorOnClose(true);
		}

		@Override
		public Object getPayload() {
			return this.end.read(super::getPayload);
		}

		@Override
		public void closeWith(String why) {
			this.end.reason(why);
			close();
		}

		@Override
		public void close() {
			super.close();
			this.end.closed();
		}

	}

}
