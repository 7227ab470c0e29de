package dev.socketgateway.payload;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Heap bytes allocated by the current thread, to check that a declared or configured size
 * is not allocated before the bytes arrive.
 */
final class AllocationMeter {

	private AllocationMeter() {
	}

	static long allocatedBytes() {
		if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
				|| !threads.isThreadAllocatedMemorySupported()) {
			assumeThat(false).as("per-thread allocation counter").isTrue();
			return 0;
		}
		return threads.getCurrentThreadAllocatedBytes();
	}

}
