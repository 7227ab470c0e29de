package dev.socketgateway;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.core.task.support.TaskExecutorAdapter;

/**
 * The executor that runs socket readers: virtual threads on JDK 21+, daemon platform
 * threads on 17 (Spring Integration's own default ignores
 * {@code spring.threads.virtual.enabled}).
 */
@Configuration(proxyBeanMethods = false)
public class SocketExecutors {

	/** Bean name of the socket reader executor. */
	public static final String SOCKET_EXECUTOR = "socketTaskExecutor";

	@Bean(name = SOCKET_EXECUTOR, destroyMethod = "")
	TaskExecutor socketTaskExecutor() {
		if (Runtime.version().feature() >= 21) {
			return new VirtualThreadTaskExecutor("sg-socket-");
		}
		ExecutorService pool = Executors.newCachedThreadPool(daemonThreads("sg-socket-"));
		return new TaskExecutorAdapter(pool);
	}

	static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
