package dev.socketgateway.conversation;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;
import org.springframework.stereotype.Service;

import dev.socketgateway.ErrorCode;
import dev.socketgateway.GatewayException;
import dev.socketgateway.GatewayProperties;
import dev.socketgateway.conversation.ConversationPlan.Step;
import dev.socketgateway.conversation.ConversationResult.StepError;
import dev.socketgateway.conversation.ConversationResult.StepResult;
import dev.socketgateway.egress.Addresses;
import dev.socketgateway.egress.Protocol;
import dev.socketgateway.egress.ResolvedTarget;
import dev.socketgateway.metrics.GatewayMetrics;
import dev.socketgateway.metrics.GatewayMetrics.Direction;
import dev.socketgateway.payload.EncodedPayload;
import dev.socketgateway.payload.Frame;
import dev.socketgateway.payload.Framing;
import dev.socketgateway.payload.Payloads;
import dev.socketgateway.payload.TruncatedFrameException;
import dev.socketgateway.tcp.Deadlines;
import dev.socketgateway.upstream.TlsClients;
import dev.socketgateway.upstream.UpstreamFailures;

/**
 * Runs a conversation on the calling thread over one blocking socket. Plain
 * {@code java.net}: Spring Integration has no adapter for a scripted, stateful dialogue
 * on one connection (its gateways are one request, one reply).
 */
@Service
public class ConversationRunner {

	/** Code of a step whose frame matched {@code reject}. */
	public static final String REJECTED = "REJECTED";

	/** Code of a blackbox {@code expect_bytes} that read other bytes. */
	public static final String UNEXPECTED_BYTES = "UNEXPECTED_BYTES";

	private final TlsClients tls;

	private final GatewayMetrics metrics;

	private final int maxFrameBytes;

	public ConversationRunner(TlsClients tls, GatewayMetrics metrics, GatewayProperties properties) {
		this.tls = tls;
		this.metrics = metrics;
		this.maxFrameBytes = properties.limits().frameLimit();
	}

	/**
	 * Runs a conversation.
	 * @param conversation what to do
	 * @param target where, already checked by the policy
	 * @param timeoutMs deadline of the whole conversation
	 * @return what happened; failures are in the result, never thrown
	 */
	public ConversationResult run(Conversation conversation, ResolvedTarget target, int timeoutMs) {
		Run run = new Run(conversation, target, timeoutMs);
		ConversationResult result = run.execute();
		String protocol = conversation.protocol().value();
		this.metrics.traffic(protocol, Direction.OUTBOUND, target.tag(), result.bytesSent(), result.bytesReceived(),
				run.messagesSent, run.messagesReceived);
		this.metrics.conversation(protocol, target.tag(), result.ok(), System.nanoTime() - run.start);
		if (result.error() != null) {
			try {
				String reason = UpstreamFailures.reason(ErrorCode.valueOf(result.error().code()));
				if (!reason.isEmpty()) {
					this.metrics.failure(protocol, reason, target.tag());
				}
			}
			catch (IllegalArgumentException ex) {
				// REJECTED and UNEXPECTED_BYTES are not connection failures
			}
		}
		return result;
	}

	/**
	 * The state of one conversation while it runs.
	 */
	private final class Run {

		final Conversation conversation;

		final ResolvedTarget target;

		final long start = System.nanoTime();

		final long deadline;

		final int timeoutMs;

		final Map<String, String> vars;

		final List<StepResult> steps = new ArrayList<>();

		Map<String, String> lastGroups = Map.of();

		@Nullable ConversationLink link;

		String remote;

		long bytesSent;

		long bytesReceived;

		long messagesSent;

		long messagesReceived;

		long connectNanos;

		volatile boolean expired;

		final Framing framing;

		Run(Conversation conversation, ResolvedTarget target, int timeoutMs) {
			this.conversation = conversation;
			this.target = target;
			this.timeoutMs = timeoutMs;
			this.deadline = this.start + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
			this.vars = new LinkedHashMap<>(conversation.vars());
			this.remote = Addresses.format(target.addresses().get(0), target.port());
			this.framing = (conversation.framing() != null) ? conversation.framing()
					: (target.framing() != null) ? target.framing() : Framing.CRLF;
		}

		ConversationResult execute() {
			try {
				try {
					this.link = connect();
				}
				catch (GatewayException ex) {
					return finish(null, ex.code().name(), ex.getMessage());
				}
				ConversationLink open = this.link;
				ScheduledFuture<?> closer = Deadlines.after(Math.max(1, millisLeft(this.deadline)), () -> {
					this.expired = true;
					open.close();
				});
				try {
					for (Step step : this.conversation.steps()) {
						StepFailure failure = step(step);
						if (failure != null) {
							return finish(step.index(), failure.code, failure.detail);
						}
					}
					return finish(null, null, null);
				}
				finally {
					closer.cancel(false);
				}
			}
			finally {
				if (this.link != null) {
					this.link.close();
				}
			}
		}

		private ConversationResult finish(@Nullable Integer failedStep, @Nullable String code,
				@Nullable String detail) {
			StepError error = (code != null) ? new StepError(code, String.valueOf(detail)) : null;
			return new ConversationResult(code == null, failedStep, error, List.copyOf(this.steps),
					Map.copyOf(this.vars), this.bytesSent, this.bytesReceived, this.connectNanos / 1_000_000,
					(System.nanoTime() - this.start) / 1_000_000, this.remote);
		}

		private ConversationLink connect() {
			if (this.conversation.protocol() == Protocol.UDP) {
				InetSocketAddress destination = new InetSocketAddress(this.target.addresses().get(0),
						this.target.port());
				try {
					DatagramSocket socket = new DatagramSocket();
					socket.connect(destination);
					return new UdpConversationLink(socket);
				}
				catch (IOException ex) {
					throw UpstreamFailures.connectFailure(ex, this.remote, this.conversation.connectTimeoutMs());
				}
			}
			boolean useTls = this.target.tls() || this.conversation.tls();
			GatewayException last = null;
			for (InetAddress address : this.target.addresses()) {
				this.remote = Addresses.format(address, this.target.port());
				long begin = System.nanoTime();
				int connectTimeout = (int) Math.max(1,
						Math.min(this.conversation.connectTimeoutMs(), millisLeft(this.deadline)));
				Socket socket = new Socket();
				try {
					socket.setTcpNoDelay(true);
					socket.connect(new InetSocketAddress(address, this.target.port()), connectTimeout);
				}
				catch (IOException ex) {
					ConversationLink.closeQuietly(socket);
					last = UpstreamFailures.connectFailure(ex, this.remote, connectTimeout);
					continue;
				}
				Socket io = socket;
				if (useTls) {
					try {
						io = TlsClients.handshake(socket, tlsSockets(), this.target.host(), this.target.port(),
								connectTimeout - (System.nanoTime() - begin) / 1_000_000);
					}
					catch (IOException | RuntimeException ex) {
						ConversationLink.closeQuietly(socket);
						throw (ex instanceof GatewayException gateway) ? gateway
								: UpstreamFailures.connectFailure(ex, this.remote, connectTimeout);
					}
				}
				this.connectNanos = System.nanoTime() - begin;
				ConversationRunner.this.metrics.connectionOpened("tcp", Direction.OUTBOUND, this.target.tag());
				Framing sendFraming = (this.conversation.sendFraming() != null) ? this.conversation.sendFraming()
						: this.framing;
				return new TcpConversationLink(io, this.framing, sendFraming,
						this.conversation.dialect() == Conversation.Dialect.BLACKBOX,
						ConversationRunner.this.maxFrameBytes, ConversationRunner.this.metrics);
			}
			throw (last != null) ? last
					: new GatewayException(ErrorCode.CONNECTION_REFUSED, "no address to connect to");
		}

		private SSLSocketFactory tlsSockets() {
			return ConversationRunner.this.tls
				.socketFactory(ConversationRunner.this.tls.effectiveBundle(this.target.tlsBundle()));
		}

		private @Nullable StepFailure step(Step step) {
			long begin = System.nanoTime();
			return switch (step.action()) {
				case SEND -> send(step, begin);
				case EXPECT -> expect(step, begin);
				case EXPECT_BYTES -> expectBytes(step, begin);
				case EXPECT_CLOSE -> expectClose(step, begin);
				case STARTTLS -> starttls(step, begin);
				case SLEEP -> sleep(step, begin);
			};
		}

		private @Nullable StepFailure send(Step step, long begin) {
			String template = String.valueOf(step.send());
			String text = (this.conversation.dialect() == Conversation.Dialect.BLACKBOX)
					? Templates.expandGo(template, this.lastGroups) : Templates.expand(template, this.vars);
			byte[] payload;
			try {
				payload = Payloads.decode(text, step.encoding());
			}
			catch (RuntimeException ex) {
				return record(step, begin, null, null, null,
						new StepFailure(ErrorCode.INVALID_PAYLOAD.name(),
								"step " + step.index() + ": the send after templating is not valid " + step.encoding()
										+ ": " + ex.getMessage()));
			}
			catch (Exception ex) {
				return record(step, begin, null, null, null,
						new StepFailure(ErrorCode.INVALID_PAYLOAD.name(), String.valueOf(ex.getMessage())));
			}
			try {
				long wire = link().write(payload);
				this.bytesSent += wire;
				this.messagesSent++;
				this.steps.add(new StepResult(step.index(), step.name(), step.action().value(), true, elapsedMs(begin),
						wire, null, null, null));
				return null;
			}
			catch (IOException | RuntimeException ex) {
				return record(step, begin, null, null, null, transportFailure(step, ex, this.timeoutMs));
			}
		}

		private @Nullable StepFailure expect(Step step, long begin) {
			long stepDeadline = stepDeadline(step, begin);
			int skipped = 0;
			byte[] last = null;
			while (true) {
				Frame frame;
				try {
					frame = link().read(millisLeft(stepDeadline));
				}
				catch (IOException | RuntimeException ex) {
					StepFailure failure;
					if (closedByPeer(ex)) {
						failure = new StepFailure(ErrorCode.PEER_CLOSED.name(),
								"step " + step.index() + ": " + this.remote
										+ " closed the connection before a frame matching " + describe(step)
										+ " arrived (" + skipped + " frames passed over)");
					}
					else if (timedOut(ex)) {
						failure = timeout(step, stepDeadline, "a frame matching " + describe(step), skipped);
					}
					else {
						failure = transportFailure(step, ex, millisBetween(begin, stepDeadline));
					}
					return record(step, begin, last, skipped, null, failure);
				}
				this.bytesReceived += frame.wireBytes();
				this.messagesReceived++;
				byte[] payload = frame.payload();
				last = payload;
				if (step.reject() != null
						&& step.reject().matcher(new String(payload, StandardCharsets.UTF_8)).find()) {
					return record(step, begin, payload, skipped, null, new StepFailure(REJECTED,
							"step " + step.index() + ": a frame matched reject " + quote(step.reject().pattern())));
				}
				Map<String, String> groups = step.expect().match(payload, this.vars);
				if (groups == null) {
					skipped++;
					continue;
				}
				this.lastGroups = groups;
				Map<String, String> captures = null;
				if (step.capture()) {
					captures = new LinkedHashMap<>();
					for (String name : step.expect().regex().namedGroups().keySet()) {
						captures.put(name, groups.getOrDefault(name, ""));
					}
					this.vars.putAll(captures);
				}
				this.steps.add(new StepResult(step.index(), step.name(), step.action().value(), true, elapsedMs(begin),
						null, Payloads.encode(payload, step.encoding()), skipped, captures));
				return null;
			}
		}

		private @Nullable StepFailure expectBytes(Step step, long begin) {
			byte[] wanted = step.bytes();
			byte[] got;
			try {
				got = link().readExactly(wanted.length, millisLeft(this.deadline));
			}
			catch (IOException | RuntimeException ex) {
				StepFailure failure = timedOut(ex) ? timeout(step, this.deadline, wanted.length + " bytes", 0)
						: transportFailure(step, ex, this.timeoutMs);
				return record(step, begin, null, null, null, failure);
			}
			this.bytesReceived += got.length;
			if (got.length < wanted.length) {
				return record(step, begin, got, null, null,
						new StepFailure(ErrorCode.PEER_CLOSED.name(), "step " + step.index() + ": " + this.remote
								+ " closed after " + got.length + " of " + wanted.length + " expected bytes"));
			}
			if (!Arrays.equals(got, wanted)) {
				return record(step, begin, got, null, null,
						new StepFailure(UNEXPECTED_BYTES, "step " + step.index() + ": read other bytes than expected"));
			}
			this.steps.add(new StepResult(step.index(), step.name(), step.action().value(), true, elapsedMs(begin),
					null, Payloads.encode(got, step.encoding()), null, null));
			return null;
		}

		private @Nullable StepFailure expectClose(Step step, long begin) {
			long stepDeadline = stepDeadline(step, begin);
			int skipped = 0;
			byte[] last = null;
			while (true) {
				try {
					Frame frame = link().read(millisLeft(stepDeadline));
					this.bytesReceived += frame.wireBytes();
					this.messagesReceived++;
					last = frame.payload();
					skipped++;
				}
				catch (IOException | RuntimeException ex) {
					if (closedByPeer(ex) || (!this.expired && !timedOut(ex) && ex instanceof SocketException)) {
						this.steps.add(new StepResult(step.index(), step.name(), step.action().value(), true,
								elapsedMs(begin), null, null, skipped, null));
						return null;
					}
					StepFailure failure = timedOut(ex)
							? timeout(step, stepDeadline, "the peer to close the connection", skipped)
							: transportFailure(step, ex, millisBetween(begin, stepDeadline));
					return record(step, begin, last, skipped, null, failure);
				}
			}
		}

		private @Nullable StepFailure starttls(Step step, long begin) {
			try {
				link().startTls(tlsSockets(), this.target.host(), this.target.port(),
						Math.max(1, Math.min(this.conversation.connectTimeoutMs(), millisLeft(this.deadline))));
			}
			catch (IOException | RuntimeException ex) {
				GatewayException mapped = (ex instanceof GatewayException gateway) ? gateway
						: UpstreamFailures.connectFailure(ex, this.remote, this.conversation.connectTimeoutMs());
				return record(step, begin, null, null, null,
						new StepFailure(mapped.code().name(), "step " + step.index() + ": " + mapped.getMessage()));
			}
			this.steps.add(new StepResult(step.index(), step.name(), step.action().value(), true, elapsedMs(begin),
					null, null, null, null));
			return null;
		}

		private @Nullable StepFailure sleep(Step step, long begin) {
			long left = millisLeft(this.deadline);
			try {
				Thread.sleep(Math.min(step.sleepMs(), left));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return record(step, begin, null, null, null,
						new StepFailure(ErrorCode.REPLY_TIMEOUT.name(), "interrupted while sleeping"));
			}
			if (step.sleepMs() > left) {
				return record(step, begin, null, null, null,
						new StepFailure(ErrorCode.REPLY_TIMEOUT.name(),
								"step " + step.index() + ": sleeping " + step.sleepMs()
										+ " ms outlasts the conversation's timeoutMs (" + this.timeoutMs + " ms)"));
			}
			this.steps.add(new StepResult(step.index(), step.name(), step.action().value(), true, elapsedMs(begin),
					null, null, null, null));
			return null;
		}

		private StepFailure record(Step step, long begin, byte @Nullable [] payload, @Nullable Integer skipped,
				@Nullable Map<String, String> captures, StepFailure failure) {
			EncodedPayload shown = (payload != null) ? Payloads.encode(payload, step.encoding()) : null;
			this.steps.add(new StepResult(step.index(), step.name(), step.action().value(), false, elapsedMs(begin),
					null, shown, skipped, captures));
			return failure;
		}

		private StepFailure timeout(Step step, long stepDeadline, String waitingFor, int skipped) {
			boolean whole = this.expired || stepDeadline >= this.deadline;
			String detail = "step " + step.index() + ": "
					+ (whole ? "the conversation's timeoutMs (" + this.timeoutMs + " ms) ran out"
							: "the step's timeoutMs (" + step.timeoutMs() + " ms) ran out")
					+ " waiting for " + waitingFor + " from " + this.remote + " (" + skipped
					+ " frames passed over); check the framing (" + this.framing.value()
					+ ") matches what the server sends";
			return new StepFailure(ErrorCode.REPLY_TIMEOUT.name(), detail);
		}

		private StepFailure transportFailure(Step step, Throwable ex, long timeoutMs) {
			if (this.expired) {
				return new StepFailure(ErrorCode.REPLY_TIMEOUT.name(),
						"step " + step.index() + ": the conversation's timeoutMs (" + this.timeoutMs + " ms) ran out");
			}
			GatewayException mapped = UpstreamFailures.exchangeFailure(ex, this.remote, this.framing.value(),
					timeoutMs);
			return new StepFailure(mapped.code().name(), "step " + step.index() + ": " + mapped.getMessage());
		}

		private boolean closedByPeer(Throwable ex) {
			return !this.expired && (ex instanceof SoftEndOfStreamException || ex instanceof TruncatedFrameException);
		}

		private boolean timedOut(Throwable ex) {
			return this.expired || ex instanceof SocketTimeoutException;
		}

		private long stepDeadline(Step step, long begin) {
			if (step.timeoutMs() == null) {
				return this.deadline;
			}
			return Math.min(this.deadline, begin + TimeUnit.MILLISECONDS.toNanos(step.timeoutMs()));
		}

		private ConversationLink link() {
			ConversationLink current = this.link;
			if (current == null) {
				throw new IllegalStateException("not connected");
			}
			return current;
		}

		private String describe(Step step) {
			ConversationPlan.FrameMatcher matcher = step.expect();
			return (matcher != null) ? matcher.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " "
					+ quote(matcher.value()) : "the expectation";
		}

	}

	private static String quote(String text) {
		String shown = (text.length() > 80) ? text.substring(0, 80) + "…" : text;
		return "'" + shown + "'";
	}

	private static long millisLeft(long deadline) {
		return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
	}

	private static long millisBetween(long from, long to) {
		return Math.max(0, TimeUnit.NANOSECONDS.toMillis(to - from));
	}

	private static long elapsedMs(long begin) {
		return (System.nanoTime() - begin) / 1_000_000;
	}

	private record StepFailure(String code, String detail) {
	}

}
