package dev.socketgateway.conversation;

import java.io.Closeable;
import java.io.IOException;

import javax.net.ssl.SSLSocketFactory;

import dev.socketgateway.payload.Frame;

/**
 * The connection a conversation's steps write to and read from, TCP or UDP.
 */
interface ConversationLink {

	/**
	 * Writes one payload with the send framing.
	 * @param payload the bytes
	 * @return wire bytes written
	 * @throws IOException if the write fails
	 */
	long write(byte[] payload) throws IOException;

	/**
	 * Reads the next frame.
	 * @param timeoutMs how long to wait, at most
	 * @return the frame
	 * @throws IOException if the read fails or times out
	 */
	Frame read(long timeoutMs) throws IOException;

	/**
	 * Reads exactly {@code count} bytes, whatever the framing (blackbox's
	 * {@code expect_bytes}).
	 * @param count how many bytes
	 * @param timeoutMs how long to wait, at most
	 * @return the bytes read
	 * @throws IOException if the read fails or times out
	 */
	byte[] readExactly(int count, long timeoutMs) throws IOException;

	/**
	 * Upgrades the connection to TLS in place (STARTTLS).
	 * @param sockets the client TLS socket factory
	 * @param host the name the certificate must carry
	 * @param port the peer's port
	 * @param timeoutMs how long the handshake may take
	 * @throws IOException if the handshake fails
	 */
	void startTls(SSLSocketFactory sockets, String host, int port, long timeoutMs) throws IOException;

	/** Closes the connection; a second call does nothing. */
	void close();

	/**
	 * Closes a socket, ignoring a failure to.
	 * @param closeable the socket
	 */
	static void closeQuietly(Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
