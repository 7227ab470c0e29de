package dev.socketgateway.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.TaskExecutor;
import org.springframework.integration.ip.tcp.connection.TcpConnectionSupport;
import org.springframework.integration.ip.tcp.connection.TcpNioClientConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpNioConnection;
import org.springframework.integration.ip.tcp.connection.TcpNioConnectionSupport;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.FrameCodec;
import dev.socketgateway.payload.FrameTooLargeException;
import dev.socketgateway.payload.TruncatedFrameException;

/**
 * One Spring Integration NIO client factory shared by every session: one selector thread
 * for all connections, whatever their address and framing. Each connect names its
 * address, timeout, codec and listener through a thread-bound {@link Spec}, because a
 * stock factory fixes host, port and codec per factory (and runs one selector each).
 */
class SessionConnectionFactory extends TcpNioClientConnectionFactory {

	private static final ThreadLocal<Spec> SPEC = new ThreadLocal<>();

	/** Spring Integration's default NIO harvest interval. */
	static final int HARVEST_INTERVAL_MS = 2000;

	/** Selector thread only. */
	private long nextHarvestMillis;

	/**
	 * Selector thread only: whether this pass of the selector loop scans and harvests.
	 */
	private boolean harvesting;

	private volatile int harvests;

	SessionConnectionFactory(TaskExecutor executor) {
		super("127.0.0.1", 1);
		setSingleUse(true);
		setSoTcpNoDelay(true);
		setLookupHost(false);
		setTaskExecutor(executor);
		setTcpNioConnectionSupport(new SessionConnectionSupport());
		setApplicationEventPublisher((ApplicationEventPublisher) (event) -> {
		});
		setBeanName("sessionConnectionFactory");
		setNioHarvestInterval(HARVEST_INTERVAL_MS);
	}

	/**
	 * Connects to one address.
	 * @param spec where and how
	 * @return the open connection, already reading into {@code spec.listener}
	 * @throws InterruptedException if interrupted while connecting
	 */
	SessionConnection connect(Spec spec) throws InterruptedException {
		SPEC.set(spec);
		try {
			return (SessionConnection) getConnection();
		}
		finally {
			SPEC.remove();
		}
	}

	@Override
	public String getHost() {
		Spec spec = SPEC.get();
		return (spec != null) ? spec.address : super.getHost();
	}

	@Override
	public int getPort() {
		Spec spec = SPEC.get();
		return (spec != null) ? spec.port : super.getPort();
	}

	@Override
	protected Duration getConnectTimeout() {
		Spec spec = SPEC.get();
		return (spec != null) ? Duration.ofMillis(spec.connectTimeoutMs) : super.getConnectTimeout();
	}

	/**
	 * One pass of the selector loop. Spring Integration scans every channel when a select
	 * returns no key, and walks every connection (building a list of all their ids under
	 * the connections lock) on every pass, to drop closed ones. Every open wakes the
	 * selector with no key, to register its channel, so with one selector for all
	 * sessions each open cost two walks over all open sessions: quadratic in the number
	 * of sessions. Here the scan and the harvest run at most once per harvest interval;
	 * closed connections are only bookkeeping until then (their sockets are closed and
	 * their keys cancelled when they close).
	 */
	@Override
	protected void processNioSelections(int selectionCount, Selector selector, @Nullable ServerSocketChannel server,
			Map<SocketChannel, TcpNioConnection> connections) {
		long now = System.currentTimeMillis();
		this.harvesting = now >= this.nextHarvestMillis;
		if (this.harvesting) {
			this.nextHarvestMillis = now + HARVEST_INTERVAL_MS;
		}
		// a count of 0 is what makes Spring Integration scan every channel; with no
		// selected key the pass handles none either way
		super.processNioSelections(this.harvesting ? selectionCount : Math.max(selectionCount, 1), selector, server,
				connections);
	}

	@Override
	protected void harvestClosedConnections() {
		if (this.harvesting) {
			super.harvestClosedConnections();
			this.harvests++;
		}
	}

	/**
	 * How many times closed connections were harvested.
	 * @return the count since start
	 */
	int harvests() {
		return this.harvests;
	}

	@Override
	protected void initializeConnection(TcpConnectionSupport connection, Socket socket) {
		super.initializeConnection(connection, socket);
		Spec spec = SPEC.get();
		if (spec != null) {
			connection.setDeserializer(spec.codec);
			connection.setSerializer(spec.codec);
			// Frames are taken in getPayload(), in wire order; Spring Integration may
			// hand
			// decoded messages to the listener from several threads out of order.
			connection.registerListener((message) -> {
			});
			((SessionConnection) connection).end.bind(spec.sink, spec.onClose);
		}
	}

	/**
	 * What one connect needs.
	 *
	 * @param address IP literal, already checked by the policy
	 * @param port the port
	 * @param connectTimeoutMs connect timeout
	 * @param codec framing codec
	 * @param sink receives each frame, in wire order
	 * @param onClose told once, with the reason, when the connection closes
	 */
	record Spec(String address, int port, int connectTimeoutMs, FrameCodec codec, Consumer<Frame> sink,
			Consumer<String> onClose) {
	}

	/**
	 * The close reason a read failure stands for.
	 * @param ex what the read threw
	 * @return {@code frame-too-large}, {@code peer-closed} or {@code reset}
	 */
	static String reasonOf(RuntimeException ex) {
		Throwable cause = (ex instanceof UncheckedIOException) ? ex.getCause() : ex;
		if (cause instanceof FrameTooLargeException) {
			return "frame-too-large";
		}
		if (cause instanceof SoftEndOfStreamException || cause instanceof TruncatedFrameException) {
			return "peer-closed";
		}
		return "reset";
	}

	private static final class SessionConnectionSupport implements TcpNioConnectionSupport {

		@Override
		public TcpNioConnection createNewConnection(SocketChannel socketChannel, boolean server, boolean lookupHost,
				@Nullable ApplicationEventPublisher applicationEventPublisher, @Nullable String connectionFactoryName) {
			return new SessionConnection(socketChannel, server, lookupHost, applicationEventPublisher,
					connectionFactoryName);
		}

	}

	/**
	 * A NIO connection that remembers why it closed: the first reason set wins.
	 */
	static final class SessionConnection extends TcpNioConnection implements SessionLink {

		final ConnectionEnd end = new ConnectionEnd(this::drained);

		SessionConnection(SocketChannel socketChannel, boolean server, boolean lookupHost,
				@Nullable ApplicationEventPublisher publisher, @Nullable String factoryName) {
			super(socketChannel, server, lookupHost, publisher, factoryName);
			setNoReadErrorOnClose(true);
		}

		@Override
		public void closeWith(String why) {
			this.end.reason(why);
			close();
		}

		/** Whether the reader has taken every byte the selector read. */
		private boolean drained() {
			try {
				return inputStream().available() <= 0;
			}
			catch (IOException ex) {
				return true;
			}
		}

		@Override
		public Object getPayload() {
			return this.end.read(super::getPayload);
		}

		@Override
		protected void publishConnectionExceptionEvent(Throwable cause) {
			if (cause instanceof IOException) {
				this.end.reason("reset");
			}
			super.publishConnectionExceptionEvent(cause);
		}

		@Override
		public void close() {
			super.close();
			this.end.closed();
		}

	}

}
