package dev.socketgateway.payload;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;

/**
 * Decodes request payloads under the payload limit and encodes replies, for every
 * endpoint alike.
 */
@Component
public class PayloadCodec {

	private final int maxPayloadBytes;

	public PayloadCodec(GatewayProperties properties) {
		this.maxPayloadBytes = properties.limits().payloadLimit();
	}

	/**
	 * Decodes a payload and checks it against {@code gateway.limits.max-payload-bytes}.
	 * @param payload the payload string, or {@code null}
	 * @param encoding its encoding ({@code utf8} when {@code null})
	 * @return the bytes, or {@code null} when there is no payload
	 */
	public byte @Nullable [] decode(@Nullable String payload, @Nullable Encoding encoding) {
		if (payload == null) {
			return null;
		}
		Encoding effective = (encoding != null) ? encoding : Encoding.UTF8;
		byte[] bytes;
		try {
			bytes = Payloads.decode(payload, effective);
		}
		catch (InvalidPayloadException ex) {
			throw new GatewayException(ErrorCode.INVALID_PAYLOAD,
					"payload is not valid " + effective.value() + ": " + ex.getMessage(), null,
					java.util.Map.of("position", ex.position()), null);
		}
		checkSize(bytes.length);
		return bytes;
	}

	/**
	 * Checks a decoded size against the payload limit.
	 * @param length decoded bytes
	 */
	public void checkSize(long length) {
		if (length > this.maxPayloadBytes) {
			throw new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE, "payload is " + length + " bytes; the limit is "
					+ this.maxPayloadBytes + " bytes (gateway.limits.max-payload-bytes)");
		}
	}

	/**
	 * Encodes reply bytes in the reply encoding, else the request's, else utf8.
	 * @param bytes the reply
	 * @param requestEncoding the request's encoding
	 * @param replyEncoding the wanted reply encoding
	 * @return the rendered reply
	 */
	public EncodedPayload encode(byte[] bytes, @Nullable Encoding requestEncoding, @Nullable Encoding replyEncoding) {
		Encoding wanted = (replyEncoding != null) ? replyEncoding
				: (requestEncoding != null) ? requestEncoding : Encoding.UTF8;
		return Payloads.encode(bytes, wanted);
	}

	public int maxPayloadBytes() {
		return this.maxPayloadBytes;
	}

}
