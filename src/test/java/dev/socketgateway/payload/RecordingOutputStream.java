package dev.socketgateway.payload;

import java.io.ByteArrayOutputStream;

/**
 * Collects written bytes and counts the write calls, to check that a frame goes out in
 * one write.
 */
final class RecordingOutputStream extends ByteArrayOutputStream {

	private int writes;

	@Override
	public synchronized void write(int b) {
		this.writes++;
		super.write(b);
	}

	@Override
	public synchronized void write(byte[] b, int off, int len) {
		this.writes++;
		super.write(b, off, len);
	}

	int writes() {
		return this.writes;
	}

}
