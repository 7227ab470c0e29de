package dev.socketgateway.tcp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLSocket;

/**
 * One connection: a blocking channel (so that a probe can look without blocking), the
 * socket bytes go through (TLS or plain), and buffered streams.
 */
final class ExchangeConnection {

	final SocketChannel channel;

	final Socket io;

	final ReplyStream in;

	final OutputStream out;

	/**
	 * The checkout probe's one byte, direct so that the read needs no temporary buffer,
	 * and reused: a probe per exchange allocates nothing when nothing waits. Used under
	 * the channel's blocking lock only.
	 */
	private final ByteBuffer probeByte = ByteBuffer.allocateDirect(1);

	volatile long idleSince = System.nanoTime();

	/** Set when the deadline closed the socket. */
	volatile boolean expired;

	ExchangeConnection(SocketChannel channel, Socket io) throws IOException {
		this.channel = channel;
		this.io = io;
		this.in = new ReplyStream(io.getInputStream(), io instanceof SSLSocket);
		this.out = new BufferedOutputStream(io.getOutputStream(), 8192);
	}

	/**
	 * The deadline passed: closing the channel ends a blocked write or read (TLS
	 * included, which runs over it) at once.
	 */
	void expire() {
		this.expired = true;
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// closed anyway
		}
	}

	/**
	 * Bytes already read from the socket but not part of the reply: in the buffer, or
	 * (TLS) decrypted and held by the TLS socket. No syscall.
	 */
	int unreadAfterReply() {
		return this.in.unread();
	}

	/**
	 * Looks for bytes waiting on an idle connection, or a close, without blocking.
	 * @return 0 when fit to serve, the count of bytes found waiting, or -1 when the peer
	 * closed or reset it
	 */
	int probe() {
		int buffered = this.in.unread();
		if (buffered != 0) {
			return buffered;
		}
		if (!this.channel.isOpen()) {
			return -1;
		}
		try {
			synchronized (this.channel.blockingLock()) {
				this.channel.configureBlocking(false);
				try {
					this.probeByte.clear();
					int n = this.channel.read(this.probeByte);
					if (n <= 0) {
						return (n < 0) ? -1 : 0;
					}
					// stray bytes (rare): count what else waits, for the warning
					int more = this.channel.read(ByteBuffer.allocate(8192));
					return 1 + Math.max(more, 0);
				}
				finally {
					this.channel.configureBlocking(true);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * Buffered reads (the delimiter codecs read byte by byte) that can tell how many
	 * bytes are left over without asking the socket.
	 */
	static final class ReplyStream extends BufferedInputStream {

		private final boolean tls;

		ReplyStream(InputStream in, boolean tls) {
			super(in, 8192);
			this.tls = tls;
		}

		int unread() {
			synchronized (this) {
				int unread = this.count - this.pos;
				if (this.tls && this.in != null) {
					try {
						// decrypted application data the TLS socket holds: no syscall
						unread += this.in.available();
					}
					catch (IOException ex) {
						return -1;
					}
				}
				return unread;
			}
		}

	}

}
