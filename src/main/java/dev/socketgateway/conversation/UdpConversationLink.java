package dev.socketgateway.conversation;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

import javax.net.ssl.SSLSocketFactory;

import dev.socketgateway.payload.CompletedBy;
import dev.socketgateway.payload.Frame;

/**
 * A conversation's UDP socket, connected to the target: each datagram is one frame.
 */
final class UdpConversationLink implements ConversationLink {

	private static final int MAX_DATAGRAM = 65_535;

	private final DatagramSocket socket;

	UdpConversationLink(DatagramSocket socket) {
		this.socket = socket;
	}

	@Override
	public long write(byte[] payload) throws IOException {
		this.socket.send(new DatagramPacket(payload, payload.length));
		return payload.length;
	}

	@Override
	public Frame read(long timeoutMs) throws IOException {
		if (timeoutMs <= 0) {
			throw new SocketTimeoutException("deadline passed");
		}
		this.socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs));
		byte[] buffer = new byte[MAX_DATAGRAM];
		DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
		this.socket.receive(packet);
		return new Frame(Arrays.copyOf(buffer, packet.getLength()), packet.getLength(), CompletedBy.LENGTH);
	}

	@Override
	public byte[] readExactly(int count, long timeoutMs) throws IOException {
		return Arrays.copyOf(read(timeoutMs).payload(), count);
	}

	@Override
	public void startTls(SSLSocketFactory sockets, String host, int port, long timeoutMs) {
		throw new IllegalStateException("UDP has no TLS");
	}

	@Override
	public void close() {
		this.socket.close();
	}

}
