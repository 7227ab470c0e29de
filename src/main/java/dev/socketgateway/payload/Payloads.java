package dev.socketgateway.payload;

/**
 * Decodes request payloads and encodes replies (stub, implemented on the payload branch).
 */
public final class Payloads {

	private Payloads() {
	}

	/**
	 * Decodes a payload string.
	 * @param payload the string
	 * @param encoding its encoding
	 * @return the bytes
	 * @throws InvalidPayloadException naming the position of the first bad character
	 */
	public static byte[] decode(String payload, Encoding encoding) {
		throw new UnsupportedOperationException();
	}

	/**
	 * Encodes bytes; utf8 bytes that are not valid UTF-8 come back as base64.
	 * @param bytes the bytes
	 * @param encoding the wanted encoding
	 * @return the string and the encoding actually used
	 */
	public static EncodedPayload encode(byte[] bytes, Encoding encoding) {
		throw new UnsupportedOperationException();
	}

}
