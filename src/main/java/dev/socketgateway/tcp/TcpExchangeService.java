package dev.socketgateway.tcp;

import dev.socketgateway.egress.Addresses;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.TaskExecutor;
import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.integration.util.PoolItemNotAvailableException;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.ErrorMessage;
import org.springframework.stereotype.Service;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.InflightLimiter;
import dev.socketgateway.SocketExecutors;
import dev.socketgateway.metrics.AuditLog;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.metrics.GatewayMetrics.Direction;
import dev.socketgateway.payload.CompletedBy;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.FrameCodec;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.egress.ResolvedTarget;

/**
 * One-shot TCP exchanges: a pooled connection for framed request/reply, a fresh one for
 * reads, {@code raw} framing and fire-and-forget sends.
 */
@Service
public class TcpExchangeService {

	private final ExchangePools pools;

	private final TlsClients tls;

	private final InflightLimiter inflight;

	private final GatewayMetrics metrics;

	private final AuditLog audit;

	private final TaskExecutor executor;

	private final ApplicationEventPublisher publisher;

	private final int maxFrameBytes;

	TcpExchangeService(ExchangePools pools, TlsClients tls, InflightLimiter inflight, GatewayMetrics metrics,
			AuditLog audit, @Qualifier(SocketExecutors.SOCKET_EXECUTOR) TaskExecutor executor,
			ApplicationEventPublisher publisher, GatewayProperties properties) {
		this.pools = pools;
		this.tls = tls;
		this.inflight = inflight;
		this.metrics = metrics;
		this.audit = audit;
		this.executor = executor;
		this.publisher = publisher;
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
		int soTimeout = command.framing().isRaw() ? command.idleMs() : 0;
		return new ConnectContext(command.connectTimeoutMs(), soTimeout, sockets, command.target().host());
	}

	private ExchangeResult once(ExchangeCommand command, InetAddress address, String remote, ConnectContext context,
			long start) {
		boolean pooled = command.poolable();
		return pooled ? pooled(command, address, remote, context, start)
				: fresh(command, address, remote, context, start);
	}

	private ExchangeResult pooled(ExchangeCommand command, InetAddress address, String remote, ConnectContext context,
			long start) {
		ResolvedTarget target = command.target();
		ExchangePools.PoolKey key = new ExchangePools.PoolKey(address, target.port(), command.framing(),
				command.tls() ? nonNull(command.tlsBundle()) : null, command.tls() ? target.host() : "", target.tag());
		Frame frame;
		try {
			frame = this.pools.exchange(key, command.payload(), command.replyTimeoutMs(), context, remote);
		}
		catch (RuntimeException ex) {
			throw failure(ex, context, command, remote);
		}
		return result(frame, frame.completedBy(), command, context, remote, start);
	}

	private ExchangeResult fresh(ExchangeCommand command, InetAddress address, String remote, ConnectContext context,
			long start) {
		ResolvedTarget target = command.target();
		UpstreamConnectionFactory factory = new UpstreamConnectionFactory(address, target.port(), this.metrics,
				target.tag());
		FrameCodec receive = command.framing().isRaw() ? Framing.rawCodec(command.maxReplyBytes())
				: command.framing().codec(this.maxFrameBytes);
		FrameCodec codec = Framing.withSend(command.sendFraming(), receive, this.maxFrameBytes);
		factory.setSerializer(codec);
		factory.setDeserializer(new ClientDeserializer(codec));
		factory.setSingleUse(true);
		factory.setTaskExecutor(this.executor);
		factory.setApplicationEventPublisher(this.publisher);
		CompletableFuture<Message<?>> replies = new CompletableFuture<>();
		factory.registerListener(replies::complete);
		factory.start();
		TcpConnection connection = null;
		try {
			context.bind();
			try {
				connection = factory.getConnection();
			}
			finally {
				ConnectContext.unbind();
			}
			if (command.payload() != null) {
				// The reply deadline also bounds the write (a peer that never reads).
				connection.send(MessageBuilder.withPayload(command.payload())
					.setHeader(UpstreamPools.REPLY_TIMEOUT_HEADER, (long) command.replyTimeoutMs())
					.build());
			}
			if (!command.awaitReply()) {
				return result(null, CompletedBy.SENT, command, context, remote, start);
			}
			long deadline = TimeUnit.MILLISECONDS.toNanos(command.replyTimeoutMs());
			Message<?> reply = replies.get(deadline, TimeUnit.NANOSECONDS);
			if (reply instanceof ErrorMessage error) {
				throw UpstreamFailures.exchangeFailure(error.getPayload(), remote, command.framing().value(),
						command.replyTimeoutMs());
			}
			Frame frame = (Frame) reply.getPayload();
			return result(frame, frame.completedBy(), command, context, remote, start);
		}
		catch (TimeoutException ex) {
			throw UpstreamFailures.replyTimeout(remote, command.framing().value(), command.replyTimeoutMs(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw UpstreamFailures.replyTimeout(remote, command.framing().value(), command.replyTimeoutMs(), ex);
		}
		catch (ExecutionException ex) {
			throw failure((ex.getCause() != null) ? ex.getCause() : ex, context, command, remote);
		}
		catch (RuntimeException ex) {
			throw failure(ex, context, command, remote);
		}
		finally {
			if (connection != null) {
				connection.close();
			}
			factory.stop();
		}
	}

	private GatewayException failure(Throwable ex, ConnectContext context, ExchangeCommand command, String remote) {
		if (ex instanceof GatewayException gateway) {
			return gateway;
		}
		if (context.connectFailed) {
			return UpstreamFailures.connectFailure(ex, remote, command.connectTimeoutMs());
		}
		PoolItemNotAvailableException exhausted = UpstreamFailures.find(ex, PoolItemNotAvailableException.class);
		if (exhausted != null && exhausted.getCause() == null) {
			return new GatewayException(ErrorCode.OVERLOADED,
					"every pooled connection to " + remote + " is busy (gateway.pool.max-per-target); retry shortly",
					ex, java.util.Map.of(), 1L);
		}
		return UpstreamFailures.exchangeFailure(ex, remote, command.framing().value(), command.replyTimeoutMs());
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
