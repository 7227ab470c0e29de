package dev.socketgateway.conversation;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLSocketFactory;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.metrics.GatewayMetrics.Direction;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.FrameCodec;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.upstream.TlsClients;

/**
 * A conversation's TCP connection: the conversation's framing over a buffered blocking
 * socket, upgraded in place by STARTTLS.
 */
final class TcpConversationLink implements ConversationLink {

	private volatile Socket socket;

	private InputStream in;

	private OutputStream out;

	private final FrameCodec codec;

	private final FrameCodec sendCodec;

	private final boolean dropCr;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final GatewayMetrics metrics;

	TcpConversationLink(Socket socket, Framing framing, Framing sendFraming, boolean dropCr, int max,
			GatewayMetrics metrics) throws GatewayException {
		this.socket = socket;
		this.metrics = metrics;
		try {
			this.in = new BufferedInputStream(socket.getInputStream());
			this.out = socket.getOutputStream();
		}
		catch (IOException ex) {
			ConversationLink.closeQuietly(socket);
			throw new GatewayException(ErrorCode.CONNECTION_RESET, "the connection closed at once", ex);
		}
		// raw: each read that returns data is one frame
		this.codec = framing.isRaw() ? Framing.rawChunkCodec(max) : framing.codec(max);
		this.sendCodec = sendFraming.codec(max);
		this.dropCr = dropCr;
	}

	@Override
	public long write(byte[] payload) throws IOException {
		ByteArrayOutputStream framed = new ByteArrayOutputStream(payload.length + 8);
		this.sendCodec.serialize(payload, framed);
		framed.writeTo(this.out);
		this.out.flush();
		return framed.size();
	}

	@Override
	public Frame read(long timeoutMs) throws IOException {
		if (timeoutMs <= 0) {
			throw new SocketTimeoutException("deadline passed");
		}
		this.socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs));
		Frame frame = this.codec.deserialize(this.in);
		byte[] payload = frame.payload();
		if (this.dropCr && payload.length > 0 && payload[payload.length - 1] == '\r') {
			return new Frame(Arrays.copyOf(payload, payload.length - 1), frame.wireBytes(), frame.completedBy());
		}
		return frame;
	}

	@Override
	public byte[] readExactly(int count, long timeoutMs) throws IOException {
		if (timeoutMs <= 0) {
			throw new SocketTimeoutException("deadline passed");
		}
		this.socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs));
		return this.in.readNBytes(count);
	}

	@Override
	public void startTls(SSLSocketFactory sockets, String host, int port, long timeoutMs) throws IOException {
		if (this.in.available() > 0) {
			// bytes sent before the handshake would be trusted as if they came over
			// TLS
			throw new GatewayException(ErrorCode.TLS_HANDSHAKE_FAILED, "the server sent " + this.in.available()
					+ " bytes after its answer and before the TLS handshake; refusing to upgrade (a plaintext injection)");
		}
		this.socket = TlsClients.handshake(this.socket, sockets, host, port, timeoutMs);
		this.in = new BufferedInputStream(this.socket.getInputStream());
		this.out = this.socket.getOutputStream();
	}

	@Override
	public void close() {
		// the deadline closes from another thread: count the close once
		if (this.closed.compareAndSet(false, true)) {
			ConversationLink.closeQuietly(this.socket);
			this.metrics.connectionClosed("tcp", Direction.OUTBOUND);
		}
	}

}
