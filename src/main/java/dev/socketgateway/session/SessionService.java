package dev.socketgateway.session;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;
import org.springframework.integration.context.IntegrationContextUtils;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.MessagingException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.SocketExecutors;
import dev.socketgateway.metrics.AuditLog;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.metrics.GatewayMetrics.Direction;
import dev.socketgateway.buffer.BufferMemory;
import dev.socketgateway.buffer.MessageBuffer;
import dev.socketgateway.buffer.ReceivedMessage;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.registry.Registry;
import dev.socketgateway.payload.FrameCodec;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.payload.QuietJoiner;
import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.egress.Addresses;
import dev.socketgateway.upstream.UpstreamFailures;

/**
 * Opens, tracks, times out and closes sessions; all sessions share one NIO selector.
 */
@Service
class SessionService implements SmartLifecycle {

	private final Registry<Session> sessions;

	private final GatewayProperties properties;

	private final BufferMemory memory;

	private final GatewayMetrics metrics;

	private final AuditLog audit;

	private final SessionConnectionFactory factory;

	private final TaskExecutor executor;

	private final QuietJoiner.Timer timer;

	private volatile boolean running;

	SessionService(GatewayProperties properties, GatewayMetrics metrics, AuditLog audit,
			@Qualifier(SocketExecutors.SOCKET_EXECUTOR) TaskExecutor executor, BufferMemory memory,
			@Qualifier(IntegrationContextUtils.TASK_SCHEDULER_BEAN_NAME) TaskScheduler scheduler) {
		this.memory = memory;
		this.properties = properties;
		this.sessions = new Registry<>("session", properties.limits().closedRetention());
		this.metrics = metrics;
		this.audit = audit;
		this.factory = new SessionConnectionFactory(executor);
		this.executor = executor;
		this.timer = QuietJoiner.timer(scheduler, executor);
	}

	/**
	 * Opens a session whose payloads are written with {@code sendFraming}.
	 * @param target the checked target
	 * @param framing how received messages end
	 * @param sendFraming how payloads are written, or {@code null} for {@code framing}
	 * @param connectTimeoutMs connect timeout
	 * @param idleTimeoutMs idle timeout
	 * @param idleMs {@code raw} framing: quiet time that ends a received message
	 * @param tls TLS socket factory, or {@code null}
	 * @return the open session
	 */
	Session open(ResolvedTarget target, Framing framing, @Nullable Framing sendFraming, int connectTimeoutMs,
			long idleTimeoutMs, int idleMs, @Nullable SSLSocketFactory tls) {
		int limit = this.properties.limits().maxConnections();
		if (!this.sessions.reserve(limit)) {
			throw new GatewayException(ErrorCode.LIMIT_EXCEEDED, limit
					+ " sessions are open (gateway.limits.max-connections): close some with DELETE /api/v1/tcp/connections/{id}",
					null, Map.of("limit", limit), 1L);
		}
		long start = System.nanoTime();
		int frameLimit = this.properties.limits().frameLimit();
		FrameCodec codec = Framing.withSend(sendFraming,
				framing.isRaw() ? Framing.rawChunkCodec(frameLimit) : framing.codec(frameLimit), frameLimit);
		GatewayException last = null;
		for (InetAddress address : target.addresses()) {
			String remote = Addresses.format(address, target.port());
			long ordinal = this.sessions.nextOrdinal();
			Session session = new Session(UUID.randomUUID().toString(), ordinal, target.tag(), remote, framing,
					idleTimeoutMs, this.memory.newBuffer("connection"));
			session.sendFraming = sendFraming;
			Consumer<Frame> frames = (frame) -> onFrame(session, frame);
			if (framing.isRaw()) {
				QuietJoiner joiner = new QuietJoiner(idleMs, frameLimit, this.timer, frames);
				session.joiner = joiner;
				frames = (piece) -> {
					// a trickle without quiet is activity too, before it is a message
					session.lastActivityMillis = System.currentTimeMillis();
					joiner.accept(piece);
				};
			}
			SessionConnectionFactory.Spec spec = new SessionConnectionFactory.Spec(address.getHostAddress(),
					target.port(), connectTimeoutMs, codec, frames, (reason) -> closed(session, reason));
			try {
				SessionLink connection = (tls != null)
						? new TlsSessionConnectionFactory(address, spec, tls, target.host(), this.executor).connect()
						: this.factory.connect(spec);
				session.connection = connection;
				session.local = localOf(connection);
				this.sessions.add(session);
				this.metrics.connectionOpened("tcp", Direction.OUTBOUND, target.tag());
				this.audit.record("session.open", target.tag(), remote, 0, 0, "ok",
						(System.nanoTime() - start) / 1_000_000);
				if (!connection.isOpen()) {
					closed(session, "peer-closed");
				}
				return session;
			}
			catch (UncheckedIOException | MessagingException | IllegalStateException ex) {
				last = UpstreamFailures.connectFailure(ex, remote, connectTimeoutMs);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				last = UpstreamFailures.connectFailure(ex, remote, connectTimeoutMs);
				break;
			}
		}
		this.sessions.release();
		GatewayException failure = (last != null) ? last
				: new GatewayException(ErrorCode.CONNECTION_REFUSED, "no address to connect to");
		if (failure.getCause() != null
				&& String.valueOf(failure.getCause().getMessage()).contains("Not connected after connectTimeout")) {
			failure = new GatewayException(ErrorCode.CONNECT_TIMEOUT, "connecting to "
					+ Addresses.format(target.addresses().get(0), target.port()) + " took longer than "
					+ connectTimeoutMs
					+ " ms: check that the host is up and that no firewall drops packets to that port, or raise connectTimeoutMs",
					failure.getCause());
		}
		this.metrics.failure("tcp", UpstreamFailures.reason(failure.code()), target.tag());
		this.audit.record("session.open", target.tag(), Addresses.format(target.addresses().get(0), target.port()), 0,
				0, failure.code().name(), (System.nanoTime() - start) / 1_000_000);
		throw failure;
	}

	private static @Nullable String localOf(SessionLink connection) {
		org.springframework.integration.ip.tcp.connection.SocketInfo info = connection.getSocketInfo();
		return (info != null) ? Addresses.format(info.getLocalAddress(), info.getLocalPort()) : null;
	}

	private void onFrame(Session session, Frame frame) {
		MessageBuffer.Appended appended = session.received(frame);
		this.metrics.traffic("tcp", Direction.OUTBOUND, session.targetTag, 0, frame.wireBytes(), 0, 1);
		if (appended.dropped() > 0) {
			this.metrics.dropped("connection", appended.dropped());
		}
	}

	private void closed(Session session, String reason) {
		if (session.closedReason != null) {
			return;
		}
		QuietJoiner joiner = session.joiner;
		if (joiner != null) {
			// the last raw message is in the buffer before the session reads as closed
			joiner.flush();
		}
		synchronized (session) {
			if (session.closedReason != null) {
				return;
			}
			session.closedReason = reason;
			session.closedAtMillis = System.currentTimeMillis();
		}
		this.sessions.release();
		session.buffer.close();
		CompletableFuture<ReceivedMessage> waiting = session.awaiting.getAndSet(null);
		if (waiting != null) {
			waiting.completeExceptionally(new IllegalStateException(reason));
		}
		this.metrics.connectionClosed("tcp", Direction.OUTBOUND);
		this.audit.record("session.close", session.targetTag, session.remote, session.bytesSent.get(),
				session.bytesReceived.get(), reason, session.closedAtMillis - session.openedAt.toEpochMilli());
	}

	/**
	 * Finds a session, open or still retained.
	 * @param id the id
	 * @return the session
	 */
	Session get(String id) {
		Session session = this.sessions.find(id);
		if (session == null) {
			throw new GatewayException(ErrorCode.CONNECTION_NOT_FOUND, "no connection '" + id
					+ "': it never existed, or it closed more than gateway.limits.closed-retention ago");
		}
		return session;
	}

	/**
	 * Sends one message; with {@code replyTimeoutMs} waits for the next received message.
	 * @param session the session
	 * @param payload the bytes
	 * @param replyTimeoutMs how long to wait for a reply, or a negative number not to
	 * @return the send's seq and the reply, if awaited
	 */
	SendResult send(Session session, byte[] payload, long replyTimeoutMs) {
		Framing written = session.writtenFraming();
		if (payload.length > written.maxPayloadLength()) {
			throw GatewayException.invalidField("payload", "is " + payload.length + " bytes; " + written.value()
					+ " framing carries at most " + written.maxPayloadLength() + " bytes");
		}
		long start = System.nanoTime();
		try {
			if (!session.sendLock.tryLock(Math.max(replyTimeoutMs, 0) + 60_000, TimeUnit.MILLISECONDS)) {
				throw UpstreamFailures.exchangeFailure(new TimeoutException(), session.remote, session.framing.value(),
						replyTimeoutMs);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		try {
			SessionLink connection = session.connection;
			if (!session.isOpen() || connection == null) {
				throw closedProblem(session);
			}
			CompletableFuture<ReceivedMessage> reply = null;
			if (replyTimeoutMs >= 0) {
				reply = new CompletableFuture<>();
				session.awaiting.set(reply);
			}
			long seq = session.sendSeq.incrementAndGet();
			try {
				connection.send(MessageBuilder.withPayload(payload).build());
			}
			catch (RuntimeException ex) {
				session.awaiting.set(null);
				if (!session.isOpen()) {
					throw closedProblem(session);
				}
				throw UpstreamFailures.exchangeFailure(ex, session.remote, session.framing.value(), replyTimeoutMs);
			}
			long wire = session.writtenFraming().wireBytes(payload.length);
			session.bytesSent.addAndGet(wire);
			session.messagesSent.incrementAndGet();
			session.lastActivityMillis = System.currentTimeMillis();
			this.metrics.traffic("tcp", Direction.OUTBOUND, session.targetTag, wire, 0, 1, 0);
			if (reply == null) {
				return new SendResult(seq, null, 0);
			}
			try {
				ReceivedMessage received = reply.get(replyTimeoutMs, TimeUnit.MILLISECONDS);
				return new SendResult(seq, received, (System.nanoTime() - start) / 1_000_000);
			}
			catch (TimeoutException ex) {
				session.awaiting.compareAndSet(reply, null);
				this.metrics.failure("tcp", "reply-timeout", session.targetTag);
				throw UpstreamFailures.exchangeFailure(
						new org.springframework.integration.MessageTimeoutException("reply timeout"), session.remote,
						session.framing.value(), replyTimeoutMs);
			}
			catch (ExecutionException ex) {
				throw closedProblem(session);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		finally {
			session.sendLock.unlock();
		}
	}

	private static GatewayException closedProblem(Session session) {
		return new GatewayException(ErrorCode.CONNECTION_CLOSED, "connection " + session.id + " is closed ("
				+ session.closedReason + "): open a new one with POST /api/v1/tcp/connections");
	}

	/**
	 * Closes a session on request.
	 * @param session the session
	 */
	void delete(Session session) {
		close(session, "deleted");
	}

	private void close(Session session, String reason) {
		SessionLink connection = session.connection;
		if (connection != null) {
			connection.closeWith(reason);
		}
		closed(session, reason);
	}

	/**
	 * A page of sessions in opening order.
	 * @param afterOrdinal the cursor's ordinal (0 for the first page)
	 * @param limit page size
	 * @param state {@code open}, {@code closed} or {@code null} for both
	 * @return the page and the ordinal to continue after, if there is more
	 */
	Registry.Page<Session> page(long afterOrdinal, int limit, @Nullable String state) {
		return this.sessions.page(afterOrdinal, limit, state);
	}

	record SendResult(long seq, @Nullable ReceivedMessage reply, long durationMs) {
	}

	private void closeIfIdle(Session session) {
		if (System.currentTimeMillis() - session.lastActivityMillis >= session.idleTimeoutMs) {
			close(session, "idle-timeout");
		}
	}

	@Override
	public void start() {
		this.factory.start();
		this.sessions.startSweeping(50, this::closeIfIdle);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		for (Session session : this.sessions.all()) {
			if (session.isOpen()) {
				close(session, "shutdown");
			}
		}
		this.sessions.stopSweeping();
		this.factory.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Before the web server's graceful shutdown, so long-polls and streams end
		// instead of holding it.
		return SmartLifecycle.DEFAULT_PHASE - 512;
	}

}
