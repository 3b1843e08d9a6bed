package dev.sdb;

import static dev.sdb.TestModels.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.store.MemoryStateStore;
import dev.sdb.store.StateStore;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rollback by equivalence: a chain rolled back (and forked) must equal a chain built from scratch,
 * in memory and in the store. Subclasses in sdb-sql run the same suite on real databases.
 */
class RollbackTest {
  private static final long SEED_A = 1;
  private static final long SEED_B = 2;

  /** An empty store for the chain under test. */
  protected StateStore newStore() {
    return new MemoryStateStore();
  }

  /** The same database as a closed store, opened again (a restart). */
  protected StateStore reopen(StateStore closed) {
    return closed;
  }

  /** A chain built from scratch: genesis and blocks 1..to of one seed. */
  private static Sdb fresh(StateStore store, long to, long seed) {
    Sdb sdb = TestModels.open(store);
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, to, seed);
    return sdb;
  }

  @ParameterizedTest(name = "flushed after block {0}")
  @ValueSource(longs = {-1, 0, 3, 7, 10})
  void rollbackManyBlocks_equalsAChainBuiltToThatHeight(long flushAfter) {
    StateStore store = newStore();
    Sdb sdb = TestModels.open(store);
    Scenario.genesis(sdb);
    if (flushAfter == 0) {
      sdb.flush();
    }
    for (long h = 1; h <= 10; h++) {
      Scenario.blocks(sdb, h, h, SEED_A);
      if (h == flushAfter) {
        sdb.flush();
      }
    }

    sdb.rollbackBlock(5);

    MemoryStateStore expectedStore = new MemoryStateStore();
    Sdb expected = fresh(expectedStore, 5, SEED_A);
    assertThat(sdb.lastHeight()).isEqualTo(5);
    assertThat(sdb.flushedHeight()).isEqualTo(Math.min(flushAfter, 5));
    assertThat(Scenario.dump(sdb, 10)).isEqualTo(Scenario.dump(expected, 10));
    assertThat(sdb.invariantsHold()).isTrue();
    sdb.flush();
    expected.flush();
    assertThat(Scenario.storeDump(store, sdb)).isEqualTo(Scenario.storeDump(expectedStore, expected));
  }

  @ParameterizedTest(name = "flushed after block {0}")
  @ValueSource(longs = {-1, 4, 9})
  void fork_rollbackThenDifferentBlocks_equalsTheForkBuiltFromScratch(long flushAfter) {
    StateStore store = newStore();
    Sdb sdb = TestModels.open(store);
    Scenario.genesis(sdb);
    for (long h = 1; h <= 9; h++) {
      Scenario.blocks(sdb, h, h, SEED_A);
      if (h == flushAfter) {
        sdb.flush();
      }
    }

    sdb.rollbackBlock(3);
    Scenario.blocks(sdb, 4, 8, SEED_B);

    MemoryStateStore expectedStore = new MemoryStateStore();
    Sdb expected = fresh(expectedStore, 3, SEED_A);
    Scenario.blocks(expected, 4, 8, SEED_B);
    assertThat(Scenario.dump(sdb, 9)).isEqualTo(Scenario.dump(expected, 9));
    sdb.flush();
    expected.flush();
    assertThat(Scenario.storeDump(store, sdb)).isEqualTo(Scenario.storeDump(expectedStore, expected));
  }

  @Test
  void rollbackToMinusOne_undoesGenesis() {
    StateStore store = newStore();
    Sdb sdb = fresh(store, 3, SEED_A);
    sdb.flush();

    sdb.rollbackBlock(-1);

    assertThat(sdb.lastHeight()).isEqualTo(-1);
    assertThat(sdb.getAll("Account")).isEmpty();
    assertThat(store.changeSetsAbove(-1)).isEmpty();
    assertThat(store.flushedHeight()).isEqualTo(-1);
    Scenario.genesis(sdb);
    assertThat(sdb.getAll("Account")).hasSize(Scenario.ACCOUNTS);
  }

  @Test
  void rollbackBlock_withoutHeight_dropsOnlyTheBlockInProgress() {
    StateStore store = newStore();
    Sdb sdb = fresh(store, 4, SEED_A);
    Map<String, String> before = Scenario.dump(sdb, 6);
    sdb.beginBlock(block(5));
    sdb.lock("x");
    sdb.increase("Account", Map.of("gny", 5), Map.of("address", "G1"));
    sdb.create("Delegate", Map.of("address", "D9", "username", "d9"));

    sdb.rollbackBlock();

    assertThat(Scenario.dump(sdb, 6)).isEqualTo(before);
    assertThat(sdb.currentBlock()).isEmpty();
    assertThat(sdb.load("Delegate", Map.of("username", "d9"))).isEmpty();
    sdb.beginBlock(block(5));
    sdb.lock("x");
  }

  @Test
  void rollbackBlock_inProgressAndCommitted_bothUndone() {
    StateStore store = newStore();
    Sdb sdb = fresh(store, 6, SEED_A);
    sdb.beginBlock(block(7));
    sdb.increase("Account", Map.of("gny", 5), Map.of("address", "G1"));

    sdb.rollbackBlock(6 - 2);

    assertThat(Scenario.dump(sdb, 7)).isEqualTo(Scenario.dump(fresh(new MemoryStateStore(), 4,
        SEED_A), 7));
  }

  @Test
  void rollbackThenRestart_andRestartThenRollback_keepTheChainConsistent() {
    StateStore store = newStore();
    Sdb sdb = fresh(store, 8, SEED_A);
    sdb.flush();
    sdb.rollbackBlock(6);
    sdb.close();

    Sdb reopened = TestModels.open(reopen(store));
    assertThat(reopened.lastHeight()).isEqualTo(6);
    assertThat(Scenario.dump(reopened, 8)).isEqualTo(Scenario.dump(fresh(new MemoryStateStore(),
        6, SEED_A), 8));

    reopened.rollbackBlock(2);
    assertThat(Scenario.dump(reopened, 8)).isEqualTo(Scenario.dump(fresh(new MemoryStateStore(),
        2, SEED_A), 8));
  }

  @Test
  void rollbackContract_undoesCreatesUpdatesDeletesIncreasesAndLocks() {
    Sdb sdb = fresh(newStore(), 1, SEED_A);
    sdb.beginBlock(block(2));
    sdb.create("Account", Map.of("address", "X", "username", "x"));
    Map<String, String> before = Scenario.dump(sdb, 2);
    List<Delta> deltasBefore = List.copyOf(sdb.currentDeltasForTest());

    sdb.beginContract();
    sdb.lock("L");
    sdb.create("Account", Map.of("address", "Y", "username", "y"));
    sdb.update("Account", Map.of("username", "z"), Map.of("address", "X"));
    sdb.increase("Account", Map.of("gny", 7), Map.of("address", "G1"));
    sdb.del("Account", Map.of("address", "G2"));
    sdb.update("Delegate", Map.of("username", "renamed"), Map.of("address", "D0"));
    sdb.del("Delegate", Map.of("address", "D1"));
    sdb.create("Balance", Map.of("address", "G1", "currency", "Q"));
    sdb.rollbackContract();

    assertThat(Scenario.dump(sdb, 2)).isEqualTo(before);
    assertThat(sdb.isLocked("L")).isFalse();
    assertThat(sdb.currentDeltasForTest()).isEqualTo(deltasBefore);
    assertThat(sdb.load("Account", Map.of("username", "x"))).isPresent();
    assertThat(sdb.load("Account", Map.of("username", "z"))).isEmpty();
    sdb.lock("L");
    sdb.create("Account", Map.of("address", "Y", "username", "z"));
  }

  @Test
  void nestedContracts_innerRollbackKeepsOuterChanges() {
    Sdb sdb = fresh(newStore(), 0, SEED_A);
    sdb.beginBlock(block(1));

    sdb.beginContract();
    sdb.lock("outer");
    sdb.increase("Account", Map.of("gny", 1), Map.of("address", "G0"));
    sdb.beginContract();
    sdb.lock("inner");
    sdb.increase("Account", Map.of("gny", 100), Map.of("address", "G0"));
    sdb.create("Account", Map.of("address", "N"));
    sdb.rollbackContract();
    sdb.beginContract();
    sdb.increase("Account", Map.of("gny", 10), Map.of("address", "G0"));
    sdb.commitContract();
    sdb.commitContract();

    assertThat(sdb.get("Account", Map.of("address", "G0")).orElseThrow())
        .containsEntry("gny", BigInteger.valueOf(1011)).containsEntry("_version_", 3L);
    assertThat(sdb.has("Account", Map.of("address", "N"))).isFalse();
    assertThat(sdb.isLocked("outer")).isTrue();
    assertThat(sdb.isLocked("inner")).isFalse();
    assertThat(sdb.currentDeltasForTest()).extracting(Delta::dbVersion).containsExactly(2L, 3L);

    sdb.beginContract();
    sdb.increase("Account", Map.of("gny", 5), Map.of("address", "G0"));
    sdb.beginContract();
    sdb.increase("Account", Map.of("gny", 5), Map.of("address", "G0"));
    sdb.commitContract();
    sdb.rollbackContract();
    assertThat(sdb.get("Account", Map.of("address", "G0")).orElseThrow())
        .containsEntry("gny", BigInteger.valueOf(1011)).containsEntry("_version_", 3L);
  }

  @Test
  void versions_afterRollbackAndReapply_continueFromTheRestoredVersion() {
    Sdb sdb = fresh(newStore(), 0, SEED_A);
    sdb.flush();
    for (long h = 1; h <= 3; h++) {
      sdb.beginBlock(block(h));
      sdb.increase("Account", Map.of("gny", 1), Map.of("address", "G0"));
      sdb.commitBlock();
    }
    assertThat(sdb.get("Account", Map.of("address", "G0")).orElseThrow().get("_version_"))
        .isEqualTo(4L);

    sdb.rollbackBlock(1);
    assertThat(sdb.get("Account", Map.of("address", "G0")).orElseThrow().get("_version_"))
        .isEqualTo(2L);
    sdb.beginBlock(block(2));
    sdb.increase("Account", Map.of("gny", 1), Map.of("address", "G0"));
    assertThat(sdb.currentDeltasForTest().get(0).toJson()).contains("\"dbVersion\":3")
        .contains("{\"name\":\"_version_\",\"current\":3,\"original\":2}");
  }

  @Test
  void failedStoreRevert_leavesEverythingAsBefore() {
    FailingStore store = new FailingStore(newStore());
    Sdb sdb = TestModels.open(store);
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 6, SEED_A);
    sdb.flush();
    Scenario.blocks(sdb, 7, 8, SEED_A);
    sdb.beginBlock(block(9));
    sdb.increase("Account", Map.of("gny", 3), Map.of("address", "G3"));
    Map<String, String> before = Scenario.dump(sdb, 9);
    SdbStats statsBefore = sdb.stats();
    store.failRevert = true;

    assertThatThrownBy(() -> sdb.rollbackBlock(2)).isInstanceOf(StoreException.class);

    assertThat(Scenario.dump(sdb, 9)).isEqualTo(before);
    assertThat(sdb.stats()).extracting(SdbStats::lastHeight, SdbStats::flushedHeight,
        SdbStats::pendingBlocks, SdbStats::pinned).containsExactly(statsBefore.lastHeight(),
        statsBefore.flushedHeight(), statsBefore.pendingBlocks(), statsBefore.pinned());
    assertThat(sdb.currentBlock()).isPresent();
    store.failRevert = false;
    sdb.rollbackBlock(2);
    assertThat(Scenario.dump(sdb, 9)).isEqualTo(Scenario.dump(fresh(new MemoryStateStore(), 2,
        SEED_A), 9));
  }

  @Test
  void failedFlush_keepsBlocksQueued_andTheNextFlushWritesThem() {
    FailingStore store = new FailingStore(newStore());
    Sdb sdb = TestModels.open(store);
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 3, SEED_A);
    store.failApply = true;

    assertThatThrownBy(sdb::flush).isInstanceOf(StoreException.class)
        .hasMessageContaining("flush of blocks 0..3 failed").hasMessageContaining("pending=4");
    assertThat(sdb.flushedHeight()).isEqualTo(-1);
    assertThat(sdb.stats().pendingBlocks()).isEqualTo(4);

    store.failApply = false;
    sdb.flush();
    assertThat(sdb.flushedHeight()).isEqualTo(3);
    assertThat(store.changeSetsAbove(-1)).hasSize(4);
  }

  @Test
  void queueBound_flushesBeforeCommit() {
    StateStore store = newStore();
    Sdb sdb = TestModels.builder(store, TestModels.schema()).manualFlush()
        .maxPendingBlocks(3).open();
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 7, SEED_A);

    assertThat(store.flushedHeight()).isEqualTo(5);
    assertThat(sdb.stats().flushes()).isEqualTo(2);
    assertThat(sdb.flushedHeight()).isEqualTo(5);
    assertThat(sdb.stats().pendingBlocks()).isEqualTo(2);
  }

  @Test
  void listeners_seeCommitsRollbacksAndFlushes() {
    List<String> events = new ArrayList<>();
    Sdb sdb = TestModels.builder(newStore(), TestModels.schema())
        .manualFlush().listener(new SdbListener() {
          @Override
          public void blockCommitted(ChangeSet changeSet) {
            events.add("commit " + changeSet.height() + " " + changeSet.deltas().size());
          }

          @Override
          public void rolledBack(long fromHeight, long toHeight) {
            events.add("rollback " + fromHeight + "->" + toHeight);
          }

          @Override
          public void flushed(long height) {
            events.add("flushed " + height);
          }
        }).open();
    Scenario.genesis(sdb);
    sdb.flush();
    sdb.beginBlock(block(1));
    sdb.commitBlock();
    sdb.rollbackBlock(0);

    assertThat(events).containsExactly("commit 0 " + (Scenario.ACCOUNTS + Scenario.DELEGATES),
        "flushed 0", "commit 1 0", "rollback 1->0");
  }
  /**
   * A stored change set that does not match memory (here a forged create of an entity that does
   * not exist) stops the undo part-way through a block: every delta undone so far, in that block
   * and in the newer ones, is rolled forward again, so the failed rollback changes nothing.
   */
  @Test
  void rollbackThatDriftsPartWayThroughABlock_restoresEverythingItUndid() {
    StateStore forging = new FailingStoreBase(newStore()) {
      @Override
      public List<ChangeSet> changeSetsAbove(long height) {
        List<ChangeSet> sets = new ArrayList<>(super.changeSetsAbove(height));
        ChangeSet lowest = sets.get(0);
        List<Delta> deltas = new ArrayList<>(lowest.deltas());
        var account = TestModels.schema().model("Account");
        deltas.add(0, Delta.created(account, "ghost",
            new Object[] {"ghost", null, BigInteger.ONE, 0, 1L}));
        sets.set(0, new ChangeSet(lowest.block(), deltas));
        return sets;
      }
    };
    Sdb sdb = TestModels.open(forging);
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 4, SEED_A);
    sdb.flush();
    Scenario.blocks(sdb, 5, 6, SEED_A);
    Map<String, String> before = Scenario.dump(sdb, 10);

    assertThatThrownBy(() -> sdb.rollbackBlock(1)).isInstanceOf(StateDriftException.class)
        .hasMessageContaining("Account").hasMessageContaining("ghost");

    assertThat(Scenario.dump(sdb, 10)).isEqualTo(before);
    Scenario.blocks(sdb, 7, 7, SEED_A);
    sdb.flush();
    assertThat(Scenario.dump(sdb, 10)).isEqualTo(Scenario.dump(fresh(new MemoryStateStore(), 7,
        SEED_A), 10));
  }
}
