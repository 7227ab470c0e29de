package dev.socketgateway.tcp;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.core.serializer.Deserializer;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.FrameCodec;
import dev.socketgateway.payload.TruncatedFrameException;

/**
 * Client side of a codec: a clean close before the reply must reach the waiting request
 * at once (Spring Integration stays silent on a soft end of stream).
 */
final class ClientDeserializer implements Deserializer<Frame> {

	private final FrameCodec codec;

	ClientDeserializer(FrameCodec codec) {
		this.codec = codec;
	}

	@Override
	public Frame deserialize(InputStream in) throws IOException {
		try {
			return this.codec.deserialize(in);
		}
		catch (SoftEndOfStreamException ex) {
			throw new TruncatedFrameException("peer closed the connection before a reply", 0);
		}
	}

}
