package dev.socketgateway.payload;

import java.io.IOException;

/**
 * The peer sent bytes that cannot be a frame of the framing (a RESP type byte that does
 * not exist, a length field that describes less than its own header).
 */
public class MalformedFrameException extends IOException {

	public MalformedFrameException(String message) {
		super(message);
	}

}
