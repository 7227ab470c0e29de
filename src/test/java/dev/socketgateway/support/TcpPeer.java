package dev.socketgateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted TCP peer on 127.0.0.1, port 0, for end-to-end tests: it counts accepts,
 * records every byte it receives, and runs a handler per connection.
 */
public final class TcpPeer implements AutoCloseable {

	/** Writes back every byte it reads, as it reads it. */
	public static final Handler ECHO = (socket, in, out) -> {
		byte[] buffer = new byte[65536];
		int n;
		while ((n = in.read(buffer)) >= 0) {
			out.write(buffer, 0, n);
			out.flush();
		}
	};

	private final ServerSocket server;

	private final AtomicInteger accepts = new AtomicInteger();

	private final ByteArrayOutputStream received = new ByteArrayOutputStream();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final Thread acceptor;

	private TcpPeer(Handler handler) throws IOException {
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		this.acceptor = new Thread(() -> acceptLoop(handler), "tcp-peer-" + port());
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	/**
	 * Starts a peer.
	 * @param handler what to do on each connection
	 * @return the running peer
	 * @throws IOException if it cannot bind
	 */
	public static TcpPeer start(Handler handler) throws IOException {
		return new TcpPeer(handler);
	}

	/**
	 * A peer that writes back every byte it reads, as it reads it.
	 * @return the running peer
	 * @throws IOException if it cannot bind
	 */
	public static TcpPeer echo() throws IOException {
		return start(ECHO);
	}

	public int port() {
		return this.server.getLocalPort();
	}

	public int accepts() {
		return this.accepts.get();
	}

	/**
	 * Every byte received so far, on all connections.
	 * @return the bytes
	 */
	public byte[] received() {
		synchronized (this.received) {
			return this.received.toByteArray();
		}
	}

	private void acceptLoop(Handler handler) {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.accepts.incrementAndGet();
				this.sockets.add(socket);
				Thread thread = new Thread(() -> serve(socket, handler), "tcp-peer-conn");
				thread.setDaemon(true);
				thread.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket socket, Handler handler) {
		try (socket) {
			InputStream recording = new RecordingInputStream(socket.getInputStream());
			handler.handle(socket, recording, socket.getOutputStream());
		}
		catch (IOException ex) {
			// the test decides what a broken connection means
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

	/**
	 * What the peer does with one connection.
	 */
	@FunctionalInterface
	public interface Handler {

		void handle(Socket socket, InputStream in, OutputStream out) throws IOException;

	}

	private final class RecordingInputStream extends InputStream {

		private final InputStream in;

		RecordingInputStream(InputStream in) {
			this.in = in;
		}

		@Override
		public int read() throws IOException {
			int b = this.in.read();
			if (b >= 0) {
				synchronized (TcpPeer.this.received) {
					TcpPeer.this.received.write(b);
				}
			}
			return b;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			int n = this.in.read(b, off, len);
			if (n > 0) {
				synchronized (TcpPeer.this.received) {
					TcpPeer.this.received.write(b, off, n);
				}
			}
			return n;
		}

	}

}
