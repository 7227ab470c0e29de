package dev.socketgateway.listener.rules;

import java.io.IOException;

/**
 * Where a plan's bytes go: one TCP client or one UDP sender.
 */
public interface Wire {

	/**
	 * Writes bytes as they are (already framed; for UDP one datagram).
	 * @param bytes the bytes
	 * @param endOfFrame whether these bytes end a frame (the last piece of a drip)
	 * @throws IOException when the client is gone
	 */
	void write(byte[] bytes, boolean endOfFrame) throws IOException;

	/** Closes the connection after what was written (the client reads EOF). */
	void close();

	/** Resets the connection (SO_LINGER 0, then close: the client sees RST). */
	void reset();

}
