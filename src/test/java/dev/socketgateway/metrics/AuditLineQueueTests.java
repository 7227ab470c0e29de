package dev.socketgateway.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit lines' queue: every line reaches the root logger's appenders, none is dropped
 * when the queue fills, each keeps the request id it was logged with, and closing puts
 * the audit logger back on the root's appenders.
 */
class AuditLineQueueTests {

	private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

	private final Logger root = this.context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	private final Logger auditLogger = this.context.getLogger(AuditLog.LOGGER);

	private final Recorder recorder = new Recorder();

	private final AuditLineQueue queue = new AuditLineQueue();

	// a Spring context of another test class in this JVM may have installed its queue
	private final List<Appender<ILoggingEvent>> before = new ArrayList<>();

	private boolean additiveBefore;

	@BeforeEach
	void recordTheRootsOutput() {
		this.additiveBefore = this.auditLogger.isAdditive();
		this.auditLogger.iteratorForAppenders().forEachRemaining(this.before::add);
		this.before.forEach(this.auditLogger::detachAppender);
		this.auditLogger.setAdditive(true);
		this.recorder.setContext(this.context);
		this.recorder.start();
		this.root.addAppender(this.recorder);
	}

	@AfterEach
	void restore() {
		this.queue.destroy();
		this.root.detachAppender(this.recorder);
		this.before.forEach(this.auditLogger::addAppender);
		this.auditLogger.setAdditive(this.additiveBefore);
	}

	@Test
	void aFullQueueDropsNoLineAndEachKeepsItsRequestId() throws Exception {
		this.queue.afterSingletonsInstantiated();
		assertThat(this.auditLogger.isAdditive()).isFalse();
		AuditLog audit = new AuditLog();
		// the writer holds the first line until the queue behind it is full
		CountDownLatch release = this.recorder.holdFirst();
		int lines = AuditLineQueue.CAPACITY;
		for (int i = 0; i < lines; i++) {
			MDC.put(AuditLog.REQUEST_ID, "req-" + i);
			audit.record("tcp.exchange", "t", "127.0.0.1:1", i, 0, "ok", 0);
			MDC.remove(AuditLog.REQUEST_ID);
		}
		release.countDown();
		await().atMost(30, TimeUnit.SECONDS).until(() -> this.recorder.events.size() >= lines);
		assertThat(this.recorder.events).hasSize(lines);
		for (int i = 0; i < lines; i++) {
			ILoggingEvent event = this.recorder.events.get(i);
			assertThat(event.getFormattedMessage()).contains("bytesSent=" + i + " ", "requestId=req-" + i);
			assertThat(event.getMDCPropertyMap()).containsEntry(AuditLog.REQUEST_ID, "req-" + i);
		}
	}

	@Test
	void closingPutsTheAuditLoggerBackOnTheRootsAppenders() {
		this.queue.afterSingletonsInstantiated();
		this.queue.destroy();
		assertThat(this.auditLogger.isAdditive()).isTrue();
		new AuditLog().record("session.close", "t", "-", 0, 0, "ok", 0);
		// written on the calling thread, no queue in between
		assertThat(this.recorder.events).singleElement()
			.satisfies((event) -> assertThat(event.getThreadName()).isEqualTo(Thread.currentThread().getName()));
	}

	@Test
	void anAuditLoggerWithItsOwnAppenderKeepsItsRouting() {
		Recorder own = new Recorder();
		own.setContext(this.context);
		own.start();
		this.auditLogger.addAppender(own);
		try {
			this.queue.afterSingletonsInstantiated();
			assertThat(this.auditLogger.isAdditive()).isTrue();
			new AuditLog().record("session.open", "t", "-", 0, 0, "ok", 0);
			assertThat(own.events).hasSize(1);
			assertThat(this.recorder.events).hasSize(1);
		}
		finally {
			this.auditLogger.detachAppender(own);
		}
	}

	static class Recorder extends AppenderBase<ILoggingEvent> {

		final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

		private volatile CountDownLatch hold = new CountDownLatch(0);

		CountDownLatch holdFirst() {
			this.hold = new CountDownLatch(1);
			return this.hold;
		}

		@Override
		protected void append(ILoggingEvent event) {
			if (!event.getLoggerName().equals(AuditLog.LOGGER)) {
				return;
			}
			try {
				this.hold.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.events.add(event);
		}

	}

}
