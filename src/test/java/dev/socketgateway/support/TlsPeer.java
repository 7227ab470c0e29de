package dev.socketgateway.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A JDK TLS peer on 127.0.0.1, port 0: like {@link TcpPeer}, but every connection is a
 * TLS server connection (handshake done before the handler runs). Serves several
 * connections at once, unlike {@code openssl s_server}.
 */
public final class TlsPeer implements AutoCloseable {

	private final SSLServerSocket server;

	private final AtomicInteger handshakes = new AtomicInteger();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private TlsPeer(SSLContext context, TcpPeer.Handler handler) throws IOException {
		this.server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		Thread acceptor = new Thread(() -> acceptLoop(handler), "tls-peer-" + port());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Starts a peer.
	 * @param context a server context, e.g.
	 * {@link TlsMaterial.ServerCertificate#serverContext()}
	 * @param handler what to do on each connection after the handshake
	 * @return the running peer
	 * @throws IOException if it cannot bind
	 */
	public static TlsPeer start(SSLContext context, TcpPeer.Handler handler) throws IOException {
		return new TlsPeer(context, handler);
	}

	/**
	 * A TLS peer that writes back every byte it reads.
	 * @param context a server context
	 * @return the running peer
	 * @throws IOException if it cannot bind
	 */
	public static TlsPeer echo(SSLContext context) throws IOException {
		return start(context, TcpPeer.ECHO);
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Handshakes that completed.
	 * @return the count
	 */
	public int handshakes() {
		return this.handshakes.get();
	}

	private void acceptLoop(TcpPeer.Handler handler) {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.sockets.add(socket);
				Thread thread = new Thread(() -> serve((javax.net.ssl.SSLSocket) socket, handler), "tls-peer-conn");
				thread.setDaemon(true);
				thread.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(javax.net.ssl.SSLSocket socket, TcpPeer.Handler handler) {
		try (socket) {
			socket.startHandshake();
			this.handshakes.incrementAndGet();
			handler.handle(socket, socket.getInputStream(), socket.getOutputStream());
		}
		catch (IOException ex) {
			// failed handshakes and broken connections are the test's to judge
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

}
