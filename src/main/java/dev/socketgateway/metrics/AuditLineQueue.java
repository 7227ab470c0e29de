package dev.socketgateway.metrics;

import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Hands the audit lines to the root logger's appenders (Boot's console appender, with its
 * pattern or {@code logging.structured.format.console}, and the file appender when one is
 * configured) through a queue and one writer thread, so request threads do not queue on
 * the console appender's lock around its {@code write} system call: with 64 clients that
 * took about a fifth off the exchanges' and datagrams' requests/s (docs/benchmarks.md,
 * issue 18). The line's content is the same; no line is dropped (a full queue makes the
 * request wait instead). Installed only when the audit logger and its parents have no
 * appenders of their own (a custom Logback configuration keeps its own routing); closing
 * the context puts the audit logger back on the root's appenders and drains the queue
 * into them, so shutdown audit lines are still written.
 */
@Component
class AuditLineQueue implements SmartInitializingSingleton, DisposableBean {

	/** Audit lines waiting before a request waits on the queue. */
	static final int CAPACITY = 8192;

	private @Nullable AsyncAppender queue;

	private @Nullable Logger audit;

	@Override
	public void afterSingletonsInstantiated() {
		if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
			return;
		}
		Logger logger = context.getLogger(AuditLog.LOGGER);
		for (Logger parent = logger; parent != null; parent = parent(context, parent)) {
			if (parent.iteratorForAppenders().hasNext() || !parent.isAdditive()) {
				return;
			}
		}
		AsyncAppender async = new AsyncAppender();
		async.setContext(context);
		async.setName("socketGatewayAuditQueue");
		async.setQueueSize(CAPACITY);
		// by default INFO lines are dropped from a queue 80 % full: never drop a line
		async.setDiscardingThreshold(0);
		async.setNeverBlock(false);
		// an AsyncAppender feeds one appender: fan out to all of the root's
		RootAppenders root = new RootAppenders();
		root.setContext(context);
		context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
			.iteratorForAppenders()
			.forEachRemaining(root.appenders::add);
		root.start();
		async.addAppender(root);
		async.start();
		logger.addAppender(async);
		logger.setAdditive(false);
		this.queue = async;
		this.audit = logger;
	}

	private static @Nullable Logger parent(LoggerContext context, Logger logger) {
		int dot = logger.getName().lastIndexOf('.');
		return (dot < 0) ? null : context.getLogger(logger.getName().substring(0, dot));
	}

	@Override
	public void destroy() {
		AsyncAppender async = this.queue;
		Logger logger = this.audit;
		if (async == null || logger == null) {
			return;
		}
		// a logging re-initialisation (another context in the same JVM) may have reset it
		if (logger.detachAppender(async)) {
			logger.setAdditive(true);
		}
		async.stop();
	}

	/** Passes each line to the root logger's appenders as they were at start-up. */
	private static final class RootAppenders extends UnsynchronizedAppenderBase<ILoggingEvent> {

		private final List<Appender<ILoggingEvent>> appenders = new ArrayList<>();

		@Override
		protected void append(ILoggingEvent event) {
			for (Appender<ILoggingEvent> appender : this.appenders) {
				appender.doAppend(event);
			}
		}

	}

}
