package dev.sdb;

import static dev.sdb.TestModels.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.store.MemoryStateStore;
import dev.sdb.store.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Normal models: a bounded cache that never loses an unflushed change (Delegate: maxCached 2). */
class CacheTest {
  private StateStore store;
  private Sdb sdb;

  /** An empty store; subclasses in sdb-sql run this suite on real databases. */
  protected StateStore newStore() {
    return new MemoryStateStore();
  }

  @BeforeEach
  void open() {
    store = newStore();
    sdb = TestModels.open(store);
  }

  @AfterEach
  void invariants() {
    assertThat(sdb.invariantsHold()).isTrue();
    sdb.close();
  }

  private void createDelegates(long height, int from, int to) {
    sdb.beginBlock(block(height));
    for (int i = from; i < to; i++) {
      sdb.create("Delegate", Map.of("address", "D" + i, "username", "d" + i));
    }
    sdb.commitBlock();
  }

  @Test
  void unflushedEntities_arePinned_andSurviveEviction() {
    createDelegates(0, 0, 50);

    assertThat(sdb.stats().pinned()).isEqualTo(50);
    for (int i = 0; i < 50; i++) {
      assertThat(sdb.load("Delegate", Map.of("address", "D" + i))).isPresent();
      assertThat(sdb.load("Delegate", Map.of("username", "d" + i))).isPresent();
    }
    List<Object[]> stored = new ArrayList<>();
    store.scan(TestModels.DELEGATE, stored::add);
    assertThat(stored).isEmpty();
  }

  @Test
  void afterFlush_entitiesAreUnpinned_cacheIsBounded_andMissesGoToTheStore() {
    createDelegates(0, 0, 50);
    sdb.flush();

    assertThat(sdb.stats().pinned()).isZero();
    for (int i = 0; i < 50; i++) {
      assertThat(sdb.load("Delegate", Map.of("address", "D" + i))).isPresent();
    }
    long missesBefore = sdb.stats().cacheMisses();
    sdb.load("Delegate", Map.of("address", "D0"));
    assertThat(sdb.stats().cacheMisses()).isEqualTo(missesBefore + 1);
  }

  /** More rows flushed at once than the cache holds: the newest stay cached, not a random few. */
  @Test
  void aFlushLargerThanTheCache_leavesTheNewestRowsCached() {
    for (int h = 0; h < 50; h++) {
      createDelegates(h, h, h + 1); // one delegate per block; the cache holds two
    }
    sdb.flush();

    long misses = sdb.stats().cacheMisses();
    assertThat(sdb.load("Delegate", Map.of("address", "D49"))).isPresent();
    assertThat(sdb.load("Delegate", Map.of("address", "D48"))).isPresent();
    assertThat(sdb.stats().cacheMisses()).as("the two newest are cached").isEqualTo(misses);
    assertThat(sdb.load("Delegate", Map.of("address", "D0"))).isPresent();
    assertThat(sdb.stats().cacheMisses()).as("an older one comes from the store")
        .isEqualTo(misses + 1);
  }

  @Test
  void duplicateKey_existingOnlyInTheStore_isRejected() {
    createDelegates(0, 0, 10);
    sdb.flush();
    sdb.beginBlock(block(1));

    assertThatThrownBy(() -> sdb.create("Delegate", Map.of("address", "D3", "username", "new")))
        .isInstanceOf(DuplicateKeyException.class).hasMessageContaining("Delegate{address=D3}");
    assertThatThrownBy(() -> sdb.create("Delegate", Map.of("address", "D99", "username", "d4")))
        .isInstanceOf(DuplicateKeyException.class)
        .hasMessageContaining("unique key 'username'=d4 already exists (held by {address=D4})");
  }

  @Test
  void uniqueValueChangedInAnUnflushedBlock_lookupsFollowTheNewValue() {
    createDelegates(0, 0, 10);
    sdb.flush();
    sdb.beginBlock(block(1));
    sdb.update("Delegate", Map.of("username", "renamed"), Map.of("address", "D1"));
    sdb.commitBlock();

    assertThat(sdb.load("Delegate", Map.of("username", "d1"))).isEmpty();
    assertThat(sdb.load("Delegate", Map.of("username", "renamed")).orElseThrow())
        .containsEntry("address", "D1");
    sdb.beginBlock(block(2));
    sdb.create("Delegate", Map.of("address", "D20", "username", "d1"));
    assertThat(sdb.load("Delegate", Map.of("username", "d1")).orElseThrow())
        .containsEntry("address", "D20");
    sdb.commitBlock();
    sdb.flush();
    assertThat(sdb.load("Delegate", Map.of("username", "d1")).orElseThrow())
        .containsEntry("address", "D20");
    assertThat(sdb.load("Delegate", Map.of("username", "renamed")).orElseThrow())
        .containsEntry("address", "D1");
  }

  @Test
  void deletedInAnUnflushedBlock_staysDeleted_evenAfterEvictionPressure() {
    createDelegates(0, 0, 10);
    sdb.flush();
    sdb.beginBlock(block(1));
    sdb.del("Delegate", Map.of("username", "d5"));
    for (int i = 0; i < 10; i++) {
      sdb.load("Delegate", Map.of("address", "D" + i));
    }

    assertThat(sdb.load("Delegate", Map.of("address", "D5"))).isEmpty();
    assertThat(sdb.load("Delegate", Map.of("username", "d5"))).isEmpty();
    sdb.create("Delegate", Map.of("address", "D30", "username", "d5"));
    sdb.commitBlock();
    sdb.flush();
    assertThat(sdb.load("Delegate", Map.of("address", "D5"))).isEmpty();
  }

  @Test
  void changesAfterTheFlushedHeight_stayPinnedUntilTheirBlockIsFlushed() {
    createDelegates(0, 0, 3);
    sdb.beginBlock(block(1));
    sdb.increase("Delegate", Map.of("votes", 1), Map.of("address", "D0"));
    sdb.commitBlock();
    sdb.flush();
    sdb.beginBlock(block(2));
    sdb.increase("Delegate", Map.of("votes", 1), Map.of("address", "D1"));
    sdb.commitBlock();

    assertThat(sdb.stats().pinned()).isEqualTo(1);
    assertThat(sdb.load("Delegate", Map.of("address", "D1")).orElseThrow())
        .containsEntry("votes", 1L);
  }
}
