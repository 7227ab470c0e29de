package dev.socketgateway.payload;

import java.io.IOException;

/**
 * The peer closed the connection in the middle of a frame.
 */
public class TruncatedFrameException extends IOException {

	private final int bytesRead;

	public TruncatedFrameException(String message, int bytesRead) {
		super(message);
		this.bytesRead = bytesRead;
	}

	public int bytesRead() {
		return this.bytesRead;
	}

}
