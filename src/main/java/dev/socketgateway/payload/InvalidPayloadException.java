package dev.socketgateway.payload;

/**
 * A payload string does not decode in its encoding; the message names the position.
 */
public class InvalidPayloadException extends RuntimeException {

	private final int position;

	public InvalidPayloadException(String message, int position) {
		super(message);
		this.position = position;
	}

	/**
	 * Zero-based index in the payload string of the first offending character.
	 * @return the position
	 */
	public int position() {
		return this.position;
	}

}
