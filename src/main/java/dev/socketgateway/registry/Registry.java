package dev.socketgateway.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The sessions or listeners of a gateway: found by id, listed in creation order, capped
 * in how many are open at once, and forgotten a retention time after they close (by a
 * sweeper thread that can also look at each open one, e.g. for idle time-outs).
 *
 * @param <T> what is registered
 */
public final class Registry<T extends Registry.Entry> {

	private final Map<String, T> byId = new ConcurrentHashMap<>();

	private final ConcurrentSkipListMap<Long, T> byOrdinal = new ConcurrentSkipListMap<>();

	private final AtomicLong ordinals = new AtomicLong();

	private final AtomicInteger open = new AtomicInteger();

	private final String name;

	private final Duration retention;

	private @Nullable ScheduledExecutorService sweeper;

	/**
	 * Creates an empty registry.
	 * @param name names the sweeper thread, e.g. {@code session}
	 * @param retention how long closed entries stay readable
	 */
	public Registry(String name, Duration retention) {
		this.name = name;
		this.retention = retention;
	}

	/**
	 * Counts one more open entry unless {@code limit} are open already.
	 * @param limit the most open entries
	 * @return whether there was room; when {@code true}, {@link #release()} once on close
	 */
	public boolean reserve(int limit) {
		if (this.open.incrementAndGet() > limit) {
			this.open.decrementAndGet();
			return false;
		}
		return true;
	}

	/**
	 * Gives back a place taken by {@link #reserve(int)}.
	 */
	public void release() {
		this.open.decrementAndGet();
	}

	/**
	 * The ordinal for the next entry, increasing from 1.
	 * @return the ordinal
	 */
	public long nextOrdinal() {
		return this.ordinals.incrementAndGet();
	}

	/**
	 * Adds an entry.
	 * @param entry the entry, with an ordinal from {@link #nextOrdinal()}
	 */
	public void add(T entry) {
		this.byId.put(entry.id(), entry);
		this.byOrdinal.put(entry.ordinal(), entry);
	}

	/**
	 * Finds an entry, open or still retained.
	 * @param id the id
	 * @return the entry, or {@code null}
	 */
	public @Nullable T find(String id) {
		return this.byId.get(id);
	}

	/**
	 * All entries, open or retained, in creation order.
	 * @return a live view
	 */
	public Collection<T> all() {
		return this.byOrdinal.values();
	}

	/**
	 * A page of entries in creation order.
	 * @param afterOrdinal the cursor's ordinal (0 for the first page)
	 * @param limit page size
	 * @param state {@code open}, {@code closed} or {@code null} for both (see
	 * {@link Cursors#state})
	 * @return the page and the ordinal to continue after, if there is more
	 */
	public Page<T> page(long afterOrdinal, int limit, @Nullable String state) {
		List<T> items = new ArrayList<>();
		Long next = null;
		for (T entry : this.byOrdinal.tailMap(afterOrdinal, false).values()) {
			if (state != null && (state.equals("open") != entry.isOpen())) {
				continue;
			}
			if (items.size() == limit) {
				next = items.get(items.size() - 1).ordinal();
				break;
			}
			items.add(entry);
		}
		return new Page<>(items, next);
	}

	/**
	 * Starts the sweeper.
	 * @param periodMillis how often it runs
	 * @param eachOpen called with each open entry on every run; must not block long
	 */
	public synchronized void startSweeping(long periodMillis, Consumer<T> eachOpen) {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "sg-" + this.name + "-sweeper");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(() -> sweep(eachOpen), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
		this.sweeper = executor;
	}

	/**
	 * Stops the sweeper.
	 */
	public synchronized void stopSweeping() {
		ScheduledExecutorService executor = this.sweeper;
		if (executor != null) {
			executor.shutdownNow();
			this.sweeper = null;
		}
	}

	void sweep(Consumer<T> eachOpen) {
		long now = System.currentTimeMillis();
		long retentionMillis = this.retention.toMillis();
		for (T entry : this.byOrdinal.values()) {
			if (entry.isOpen()) {
				eachOpen.accept(entry);
			}
			else if (now - entry.closedAtMillis() >= retentionMillis) {
				this.byId.remove(entry.id());
				this.byOrdinal.remove(entry.ordinal());
				entry.forgotten();
			}
		}
	}

	/**
	 * What a registry holds.
	 */
	public interface Entry {

		/**
		 * The id clients use.
		 * @return the id
		 */
		String id();

		/**
		 * The creation order, from {@link Registry#nextOrdinal()}.
		 * @return the ordinal
		 */
		long ordinal();

		/**
		 * Whether it is still open.
		 * @return {@code true} if open
		 */
		boolean isOpen();

		/**
		 * When it closed, if closed.
		 * @return epoch milliseconds
		 */
		long closedAtMillis();

		/**
		 * Called once when the registry forgets a closed entry: release what it holds.
		 */
		default void forgotten() {
		}

	}

	/**
	 * A page of entries.
	 *
	 * @param <T> the entry type
	 * @param items the entries
	 * @param next the ordinal to continue after, or {@code null} on the last page
	 */
	public record Page<T>(List<T> items, @Nullable Long next) {
	}

}
