package dev.socketgateway.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.InflightLimiter;
import dev.socketgateway.metrics.AuditLog;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.metrics.GatewayMetrics.Direction;
import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.egress.Addresses;

/**
 * Sends datagrams: fire-and-forget on one unconnected channel shared by every request,
 * request/reply on a connected socket of its own.
 * <p>
 * Fire-and-forget used to go through a Spring Integration UDP outbound adapter: a message
 * with a destination header per datagram and a channel send, about 3 µs of a request's
 * CPU, around the same {@code sendto} on the same kind of socket (docs/benchmarks.md,
 * issue 18). A connected socket per target would save nothing measurable on loopback
 * (about 6.3 µs per send either way in a standalone loop) and would turn an earlier
 * datagram's ICMP "port unreachable" into a failed later send.
 */
@Service
public class DatagramService implements DisposableBean {

	private static final int MAX_DATAGRAM = 65_535;

	private volatile DatagramChannel fireSocket;

	private volatile boolean closed;

	private final InflightLimiter inflight;

	private final GatewayMetrics metrics;

	private final AuditLog audit;

	DatagramService(InflightLimiter inflight, GatewayMetrics metrics, AuditLog audit) throws IOException {
		this.fireSocket = DatagramChannel.open();
		this.inflight = inflight;
		this.metrics = metrics;
		this.audit = audit;
	}

	/**
	 * Sends one datagram without waiting.
	 * @param target the checked target
	 * @param payload the datagram
	 */
	public void fire(ResolvedTarget target, byte[] payload) {
		InetSocketAddress destination = new InetSocketAddress(target.addresses().get(0), target.port());
		long start = System.nanoTime();
		try (InflightLimiter.Permit permit = this.inflight.acquire()) {
			// unconnected: an ICMP error for an earlier datagram does not fail this send
			fireSocket().send(ByteBuffer.wrap(payload), destination);
		}
		catch (IOException ex) {
			throw failed(target, destination, new GatewayException(ErrorCode.CONNECTION_REFUSED,
					"sending to " + Addresses.format(destination) + " failed: "
							+ ((ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName()),
					ex), start);
		}
		this.metrics.traffic("udp", Direction.OUTBOUND, target.tag(), payload.length, 0, 1, 0);
		this.metrics.exchange("udp", target.tag(), true, System.nanoTime() - start);
		this.audit.record("udp.datagram", target.tag(), Addresses.format(destination), payload.length, 0, "ok",
				(System.nanoTime() - start) / 1_000_000);
	}

	/**
	 * Sends one datagram and waits for one reply from the target's address and port.
	 * Plain {@link DatagramSocket}: a connected socket is what filters replies by sender
	 * and surfaces ICMP "port unreachable", which the adapters do not offer.
	 * @param target the checked target
	 * @param payload the datagram
	 * @param replyTimeoutMs how long to wait
	 * @return the reply and its sender
	 */
	public Received request(ResolvedTarget target, byte[] payload, int replyTimeoutMs) {
		return request(target, payload, replyTimeoutMs, false);
	}

	/**
	 * Sends one datagram and waits for one reply from the target's address and port, or
	 * with {@code anyPort} from any port of its address (TFTP answers from a new port; an
	 * unconnected socket then sees no ICMP "port unreachable", so a closed port is a
	 * timeout).
	 * @param target the checked target
	 * @param payload the datagram
	 * @param replyTimeoutMs how long to wait
	 * @param anyPort whether a reply from another port of the target's address counts
	 * @return the reply and its sender
	 */
	public Received request(ResolvedTarget target, byte[] payload, int replyTimeoutMs, boolean anyPort) {
		InetSocketAddress destination = new InetSocketAddress(target.addresses().get(0), target.port());
		String remote = Addresses.format(destination);
		long start = System.nanoTime();
		try (InflightLimiter.Permit permit = this.inflight.acquire(); DatagramSocket socket = new DatagramSocket()) {
			if (!anyPort) {
				socket.connect(destination);
			}
			socket.setSoTimeout(replyTimeoutMs);
			socket.send(new DatagramPacket(payload, payload.length, destination));
			this.metrics.traffic("udp", Direction.OUTBOUND, target.tag(), payload.length, 0, 1, 0);
			byte[] buffer = new byte[MAX_DATAGRAM];
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			long deadline = System.nanoTime() + replyTimeoutMs * 1_000_000L;
			socket.receive(packet);
			// unconnected: datagrams from other addresses are not the reply; wait on
			while (anyPort && !destination.getAddress().equals(packet.getAddress())) {
				long left = (deadline - System.nanoTime()) / 1_000_000;
				if (left <= 0) {
					throw new SocketTimeoutException("no reply from " + destination.getAddress());
				}
				socket.setSoTimeout((int) left);
				packet.setLength(buffer.length);
				socket.receive(packet);
			}
			byte[] reply = Arrays.copyOf(packet.getData(), packet.getLength());
			long durationMs = (System.nanoTime() - start) / 1_000_000;
			this.metrics.traffic("udp", Direction.OUTBOUND, target.tag(), 0, reply.length, 0, 1);
			this.metrics.exchange("udp", target.tag(), true, System.nanoTime() - start);
			this.audit.record("udp.request", target.tag(), remote, payload.length, reply.length, "ok", durationMs);
			return new Received(reply, Addresses.format((InetSocketAddress) packet.getSocketAddress()), durationMs);
		}
		catch (SocketTimeoutException ex) {
			throw failed(target, destination, new GatewayException(ErrorCode.REPLY_TIMEOUT, "no reply datagram from "
					+ remote + " within " + replyTimeoutMs
					+ " ms: check the peer's address and port, that no firewall drops UDP "
					+ "either way, and that the server replies at all (many UDP services stay silent on bad input); "
					+ (anyPort
							? "only a datagram from " + destination.getAddress().getHostAddress()
									+ " counts as the reply"
							: "only a datagram from " + remote
									+ " counts as the reply (replyFrom: host accepts any port of the address)")),
					start);
		}
		catch (PortUnreachableException ex) {
			throw failed(target, destination, new GatewayException(ErrorCode.CONNECTION_REFUSED, remote
					+ " answered ICMP 'port unreachable': nothing listens on that UDP port; check the port and that the server is running"),
					start);
		}
		catch (IOException ex) {
			throw failed(target, destination, new GatewayException(ErrorCode.CONNECTION_REFUSED,
					"sending to " + remote + " failed: " + ex.getMessage()), start);
		}
	}

	private GatewayException failed(ResolvedTarget target, InetSocketAddress destination, GatewayException failure,
			long start) {
		String reason = dev.socketgateway.upstream.UpstreamFailures.reason(failure.code());
		if (!reason.isEmpty()) {
			this.metrics.failure("udp", reason, target.tag());
		}
		if (failure.code() != ErrorCode.OVERLOADED) {
			this.metrics.exchange("udp", target.tag(), false, System.nanoTime() - start);
		}
		this.audit.record("udp.datagram", target.tag(), Addresses.format(destination), 0, 0, failure.code().name(),
				(System.nanoTime() - start) / 1_000_000);
		return failure;
	}

	/**
	 * The shared fire socket, opened again if it was closed under a request: a channel
	 * closes when a thread blocked in it is interrupted, which must fail that one send,
	 * not every later one.
	 */
	private DatagramChannel fireSocket() throws IOException {
		DatagramChannel socket = this.fireSocket;
		if (socket.isOpen() || this.closed) {
			return socket;
		}
		synchronized (this) {
			if (!this.fireSocket.isOpen() && !this.closed) {
				this.fireSocket = DatagramChannel.open();
			}
			return this.fireSocket;
		}
	}

	@Override
	public void destroy() throws IOException {
		this.closed = true;
		this.fireSocket.close();
	}

	/**
	 * A reply datagram.
	 *
	 * @param payload its bytes
	 * @param from its sender
	 * @param durationMs time from send to reply
	 */
	public record Received(byte[] payload, String from, long durationMs) {
	}

}
