package dev.socketgateway.payload;

import java.io.IOException;

/**
 * An incoming frame is (or declares itself) larger than the frame limit.
 */
public class FrameTooLargeException extends IOException {

	private final int limit;

	public FrameTooLargeException(String message, int limit) {
		super(message);
		this.limit = limit;
	}

	public int limit() {
		return this.limit;
	}

}
