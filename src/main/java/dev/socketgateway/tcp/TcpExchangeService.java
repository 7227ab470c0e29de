package dev.socketgateway.tcp;

import java.net.InetAddress;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.InflightLimiter;
import dev.socketgateway.egress.Addresses;
import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.metrics.AuditLog;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.metrics.GatewayMetrics.Direction;
import dev.socketgateway.payload.CompletedBy;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.FrameCodec;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.upstream.TlsClients;
import dev.socketgateway.upstream.UpstreamFailures;

/**
 * One-shot TCP exchanges: a pooled connection for framed request/reply, a fresh one for
 * reads, {@code raw} framing, fire-and-forget sends and {@code pool: false}.
 */
@Service
public class TcpExchangeService {

	private final ExchangePools pools;

	private final TlsClients tls;

	private final InflightLimiter inflight;

	private final GatewayMetrics metrics;

	private final AuditLog audit;

	private final int maxFrameBytes;

	TcpExchangeService(ExchangePools pools, TlsClients tls, InflightLimiter inflight, GatewayMetrics metrics,
			AuditLog audit, GatewayProperties properties) {
		this.pools = pools;
		this.tls = tls;
		this.inflight = inflight;
		this.metrics = metrics;
		this.audit = audit;
		this.maxFrameBytes = properties.limits().frameLimit();
	}

	/**
	 * Runs one exchange, trying the target's addresses in order while connects fail.
	 * @param command what to do
	 * @return what happened
	 */
	public ExchangeResult exchange(ExchangeCommand command) {
		ResolvedTarget target = command.target();
		long start = System.nanoTime();
		String remote = Addresses.format(target.addresses().get(0), target.port());
		try (InflightLimiter.Permit permit = this.inflight.acquire()) {
			GatewayException last = null;
			for (InetAddress address : target.addresses()) {
				remote = Addresses.format(address, target.port());
				ConnectContext context = connectContext(command);
				try {
					ExchangeResult result = once(command, address, remote, context, start);
					this.metrics.traffic("tcp", Direction.OUTBOUND, target.tag(), result.bytesSent(),
							result.bytesReceived(), 1, (result.reply() != null) ? 1 : 0);
					this.metrics.exchange("tcp", target.tag(), true, System.nanoTime() - start);
					this.audit.record("tcp.exchange", target.tag(), remote, result.bytesSent(), result.bytesReceived(),
							"ok", result.durationMs());
					return result;
				}
				catch (GatewayException ex) {
					last = ex;
					if (context.connected() || !context.connectFailed) {
						break;
					}
				}
			}
			throw last;
		}
		catch (GatewayException ex) {
			String reason = UpstreamFailures.reason(ex.code());
			if (!reason.isEmpty()) {
				this.metrics.failure("tcp", reason, target.tag());
			}
			if (ex.code() != ErrorCode.OVERLOADED) {
				this.metrics.exchange("tcp", target.tag(), false, System.nanoTime() - start);
			}
			this.audit.record("tcp.exchange", target.tag(), remote, 0, 0, ex.code().name(),
					(System.nanoTime() - start) / 1_000_000);
			throw ex;
		}
	}

	private ConnectContext connectContext(ExchangeCommand command) {
		SSLSocketFactory sockets = command.tls() ? this.tls.socketFactory(command.tlsBundle()) : null;
		return new ConnectContext(command.connectTimeoutMs(), sockets, command.target().host());
	}

	private ExchangeResult once(ExchangeCommand command, InetAddress address, String remote, ConnectContext context,
			long start) {
		ResolvedTarget target = command.target();
		byte[] payload = command.payload();
		if (command.poolable()) {
			ExchangePools.PoolKey key = new ExchangePools.PoolKey(command.caller(), address, target.port(),
					command.framing(), command.tls() ? nonNull(command.tlsBundle()) : null,
					command.tls() ? target.host() : "", target.tag());
			Frame frame = this.pools.exchange(key, payload, command.replyTimeoutMs(), context, remote);
			return result(frame, frame.completedBy(), command, context, remote, start);
		}
		boolean raw = command.framing().isRaw();
		FrameCodec receive = raw ? Framing.rawCodec(command.maxReplyBytes())
				: command.framing().codec(this.maxFrameBytes);
		FrameCodec codec = Framing.withSend(command.sendFraming(), receive, this.maxFrameBytes);
		Frame frame = this.pools.fresh(address, target.port(), target.tag(), codec, payload, command.awaitReply(),
				raw ? command.idleMs() : 0, command.replyTimeoutMs(), context, remote, command.framing());
		return result(frame, (frame != null) ? frame.completedBy() : CompletedBy.SENT, command, context, remote, start);
	}

	private ExchangeResult result(@Nullable Frame frame, CompletedBy completedBy, ExchangeCommand command,
			ConnectContext context, String remote, long start) {
		byte[] payload = command.payload();
		long sent = (payload != null) ? command.writtenFraming().wireBytes(payload.length) : 0;
		long received = (frame != null) ? frame.wireBytes() : 0;
		long connectMs = context.connected() ? context.connectNanos / 1_000_000 : 0;
		long durationMs = (System.nanoTime() - start) / 1_000_000;
		return new ExchangeResult(frame, completedBy, sent, received, connectMs, durationMs, remote);
	}

	private static String nonNull(@Nullable String bundle) {
		return (bundle != null) ? bundle : "";
	}

}
