package dev.socketgateway.conversation;

import java.io.Closeable;
import java.io.IOException;

import javax.net.ssl.SSLSocketFactory;

import dev.socketgateway.payload.Frame;

/**
 * One connection, TCP or UDP.
 */
interface ConversationLink {

	long write(byte[] payload) throws IOException;

	Frame read(long timeoutMs) throws IOException;

	byte[] readExactly(int count, long timeoutMs) throws IOException;

	void startTls(SSLSocketFactory sockets, String host, int port, long timeoutMs) throws IOException;

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
