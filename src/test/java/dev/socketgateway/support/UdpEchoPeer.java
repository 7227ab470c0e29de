package dev.socketgateway.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP peer on 127.0.0.1, port 0, that answers every datagram with its content
 * (optionally prefixed) from its bound port, and counts what it receives.
 */
public final class UdpEchoPeer implements AutoCloseable {

	private final DatagramSocket socket;

	private final AtomicInteger datagrams = new AtomicInteger();

	private final AtomicInteger bytes = new AtomicInteger();

	public UdpEchoPeer(boolean reply) throws IOException {
		this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		Thread thread = new Thread(() -> loop(reply), "udp-peer");
		thread.setDaemon(true);
		thread.start();
	}

	public int port() {
		return this.socket.getLocalPort();
	}

	public int datagrams() {
		return this.datagrams.get();
	}

	public int bytes() {
		return this.bytes.get();
	}

	private void loop(boolean reply) {
		byte[] buffer = new byte[65536];
		while (!this.socket.isClosed()) {
			try {
				DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
				this.socket.receive(packet);
				this.bytes.addAndGet(packet.getLength());
				this.datagrams.incrementAndGet();
				if (reply) {
					this.socket
						.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
				}
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	@Override
	public void close() {
		this.socket.close();
	}

}
