package dev.socketgateway.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP peer on 127.0.0.1, port 0, that accepts on one thread and hands each socket to
 * the test without reading it: the test writes, closes or resets it, and no thread per
 * connection runs.
 */
public final class HeldPeer implements AutoCloseable {

	private final ServerSocket server;

	private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();

	private final List<Socket> all = new CopyOnWriteArrayList<>();

	public HeldPeer() throws IOException {
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
		Thread thread = new Thread(this::acceptLoop, "held-peer");
		thread.setDaemon(true);
		thread.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * The next accepted socket.
	 * @return the socket
	 * @throws InterruptedException if interrupted
	 */
	public Socket next() throws InterruptedException {
		Socket socket = this.accepted.poll(10, TimeUnit.SECONDS);
		if (socket == null) {
			throw new IllegalStateException("no connection accepted within 10 s");
		}
		return socket;
	}

	/**
	 * Closes the accepted sockets no test took, so that a peer shared between test
	 * classes hands the next class only its own connections.
	 */
	public void forgetUntaken() {
		Socket socket;
		while ((socket = this.accepted.poll()) != null) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
	}

	private void acceptLoop() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.all.add(socket);
				this.accepted.add(socket);
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.all) {
			socket.close();
		}
	}

}
