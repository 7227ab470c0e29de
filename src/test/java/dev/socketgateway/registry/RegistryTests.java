package dev.socketgateway.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry sessions and listeners share: the open cap, creation-order pages with a
 * state filter, and forgetting closed entries after the retention time.
 */
class RegistryTests {

	@Test
	void reserveStopsAtTheLimitAndReleaseGivesBack() {
		Registry<Item> registry = new Registry<>("test", Duration.ofMinutes(5));
		assertThat(registry.reserve(2)).isTrue();
		assertThat(registry.reserve(2)).isTrue();
		assertThat(registry.reserve(2)).isFalse();
		registry.release();
		assertThat(registry.reserve(2)).isTrue();
	}

	@Test
	void pagesFollowCreationOrderAndFilterByState() {
		Registry<Item> registry = new Registry<>("test", Duration.ofMinutes(5));
		List<Item> items = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			Item item = new Item("i" + i, registry.nextOrdinal());
			registry.add(item);
			items.add(item);
		}
		items.get(1).closedAt = 1;
		Registry.Page<Item> first = registry.page(0, 2, null);
		assertThat(first.items()).extracting(Item::id).containsExactly("i0", "i1");
		assertThat(first.next()).isEqualTo(items.get(1).ordinal());
		Registry.Page<Item> second = registry.page(first.next(), 10, null);
		assertThat(second.items()).extracting(Item::id).containsExactly("i2", "i3", "i4");
		assertThat(second.next()).isNull();
		assertThat(registry.page(0, 10, "closed").items()).extracting(Item::id).containsExactly("i1");
		assertThat(registry.page(0, 10, "open").items()).extracting(Item::id).containsExactly("i0", "i2", "i3", "i4");
		assertThat(registry.find("i3")).isSameAs(items.get(3));
		assertThat(registry.find("nope")).isNull();
	}

	@Test
	void sweepForgetsClosedEntriesAfterRetentionAndVisitsOpenOnes() {
		Registry<Item> registry = new Registry<>("test", Duration.ofSeconds(60));
		Item open = new Item("open", registry.nextOrdinal());
		Item recent = new Item("recent", registry.nextOrdinal());
		Item old = new Item("old", registry.nextOrdinal());
		recent.closedAt = System.currentTimeMillis();
		old.closedAt = System.currentTimeMillis() - 61_000;
		registry.add(open);
		registry.add(recent);
		registry.add(old);
		List<String> visited = new ArrayList<>();
		registry.sweep((item) -> visited.add(item.id()));
		assertThat(visited).containsExactly("open");
		assertThat(registry.all()).extracting(Item::id).containsExactly("open", "recent");
		assertThat(registry.find("old")).isNull();
	}

	static final class Item implements Registry.Entry {

		private final String id;

		private final long ordinal;

		long closedAt;

		Item(String id, long ordinal) {
			this.id = id;
			this.ordinal = ordinal;
		}

		@Override
		public String id() {
			return this.id;
		}

		@Override
		public long ordinal() {
			return this.ordinal;
		}

		@Override
		public boolean isOpen() {
			return this.closedAt == 0;
		}

		@Override
		public long closedAtMillis() {
			return this.closedAt;
		}

	}

}
