package dev.sdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.store.MemoryStateStore;
import dev.sdb.store.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class FlushTest {

  @Test
  void backgroundFlusher_writesCommittedBlocksOnItsInterval() throws InterruptedException {
    MemoryStateStore store = new MemoryStateStore();
    try (Sdb sdb = Sdb.builder().schema(TestModels.schema()).store(store)
        .flushInterval(Duration.ofMillis(20)).open()) {
      Scenario.genesis(sdb);
      Scenario.blocks(sdb, 1, 3, 7);

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (store.flushedHeight() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(store.flushedHeight()).isEqualTo(3);
      assertThat(sdb.flushedHeight()).isEqualTo(3);
    }
  }

  /**
   * An Error thrown out of a periodic task cancels every later run without a word: the flusher
   * must catch it, so that the next tick flushes as before.
   */
  @Test
  void anErrorInABackgroundFlush_doesNotStopTheLaterOnes() throws InterruptedException {
    MemoryStateStore memory = new MemoryStateStore();
    java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();
    StateStore store = new FailingStoreBase(memory) {
      @Override
      public void apply(List<ChangeSet> blocks) {
        if (errors.getAndIncrement() == 0) {
          throw new OutOfMemoryError("injected into the first background flush");
        }
        super.apply(blocks);
      }
    };
    try (Sdb sdb = Sdb.builder().schema(TestModels.schema()).store(store)
        .flushInterval(Duration.ofMillis(20)).open()) {
      Scenario.genesis(sdb);
      Scenario.blocks(sdb, 1, 3, 7);

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (memory.flushedHeight() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(errors.get()).isGreaterThan(1);
      assertThat(memory.flushedHeight()).isEqualTo(3);
      assertThat(sdb.flushedHeight()).isEqualTo(3);
    }
  }

  /** Blocks of many deltas fill the queue sooner: the delta bound flushes before the block one. */
  @Test
  void commitBlock_flushesFirst_whenTheQueuedBlocksHoldMaxPendingDeltas() {
    MemoryStateStore store = new MemoryStateStore();
    try (Sdb sdb = Sdb.builder().schema(TestModels.schema()).store(store).manualFlush()
        .maxPendingDeltas(10).open()) {
      for (int h = 0; h <= 3; h++) { // four deltas each: 12 queued after block 2
        sdb.beginBlock(TestModels.block(h));
        for (int i = 0; i < 4; i++) {
          sdb.create("Account", Map.of("address", "G" + h + "-" + i));
        }
        if (h == 3) {
          assertThat(sdb.stats().pendingDeltas()).isEqualTo(12);
          assertThat(store.flushedHeight()).isEqualTo(-1);
        }
        sdb.commitBlock();
      }
      assertThat(store.flushedHeight()).isEqualTo(2); // block 3's commit flushed 0..2 first
      assertThat(sdb.stats().pendingBlocks()).isEqualTo(1);
      assertThat(sdb.stats().pendingDeltas()).isEqualTo(4);
    }
    assertThatThrownBy(() -> Sdb.builder().maxPendingDeltas(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxPendingDeltas must be positive: 0");
  }

  /** What an operator's metrics see of a failing database: a count and the reason. */
  @Test
  void stats_countFailedFlushes_andKeepTheLastReasonUntilAFlushSucceeds() {
    FailingStore store = new FailingStore(new MemoryStateStore());
    try (Sdb sdb = Sdb.builder().schema(TestModels.schema()).store(store).manualFlush().open()) {
      Scenario.genesis(sdb);
      store.failApply = true;

      assertThatThrownBy(sdb::flush).isInstanceOf(StoreException.class);
      assertThatThrownBy(sdb::flush).isInstanceOf(StoreException.class);

      SdbStats failing = sdb.stats();
      assertThat(failing.failedFlushes()).isEqualTo(2);
      assertThat(failing.lastFlushFailure()).isEqualTo("injected apply failure");
      assertThat(failing.flushes()).isZero();
      assertThat(failing.pendingBlocks()).isEqualTo(1);

      store.failApply = false;
      sdb.flush();

      SdbStats recovered = sdb.stats();
      assertThat(recovered.failedFlushes()).isEqualTo(2);
      assertThat(recovered.lastFlushFailure()).isNull();
      assertThat(recovered.flushes()).isEqualTo(1);
      assertThat(recovered.pendingBlocks()).isZero();
    }
  }

  @Test
  void close_flushesEverything_andDropsTheBlockInProgress() {
    MemoryStateStore store = new MemoryStateStore();
    Sdb sdb = TestModels.open(store);
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 2, 7);
    sdb.beginBlock(TestModels.block(3));

    sdb.close();

    assertThat(store.flushedHeight()).isEqualTo(2);
    assertThatThrownBy(() -> sdb.beginBlock(TestModels.block(3)))
        .isInstanceOf(LifecycleException.class).hasMessageContaining("after close()");
  }

  @Test
  void suppliedScheduler_runsTheFlush_andIsNotShutDownByClose() throws Exception {
    ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
    try {
      MemoryStateStore store = new MemoryStateStore();
      Sdb sdb = Sdb.builder().schema(TestModels.schema()).store(store).flushScheduler(exec)
          .flushInterval(Duration.ofMillis(10)).open();
      Scenario.genesis(sdb);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (store.flushedHeight() < 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(store.flushedHeight()).as("flushed by the supplied scheduler, before close")
          .isZero();
      sdb.close();
      assertThat(exec.isShutdown()).isFalse();
    } finally {
      exec.shutdownNow();
    }
  }

  /** A store whose apply waits until released, to hold a flush "in progress". */
  private static final class SlowStore extends FailingStoreBase {
    final java.util.concurrent.CountDownLatch applying = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

    SlowStore() {
      super(new MemoryStateStore());
    }

    @Override
    public void apply(java.util.List<ChangeSet> blocks) {
      applying.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted", e);
      }
      super.apply(blocks);
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(60) // the old behaviour waited for the held flush: forever
  void rollbackOfQueuedBlocks_doesNotWaitForTheFlushInProgress() throws Exception {
    SlowStore store = new SlowStore();
    Sdb sdb = Sdb.builder().schema(TestModels.schema()).store(store)
        .flushInterval(Duration.ofMillis(5)).open();
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 2, 7);
    // the background flusher picks up some of blocks 0..2 and is held inside apply
    assertThat(store.applying.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    Scenario.blocks(sdb, 3, 6, 7); // queued behind the flush in progress

    sdb.rollbackBlock(4); // blocks 5 and 6 are not part of that flush: no wait

    assertThat(sdb.lastHeight()).isEqualTo(4);
    assertThat(store.release.getCount()).as("the flush is still held").isEqualTo(1);
    store.release.countDown();
    sdb.flush();
    assertThat(store.flushedHeight()).isEqualTo(4);
    Sdb expected = TestModels.open(new MemoryStateStore());
    Scenario.genesis(expected);
    Scenario.blocks(expected, 1, 4, 7);
    assertThat(Scenario.dump(sdb, 6)).isEqualTo(Scenario.dump(expected, 6));
  }

  @Test
  void blocksArePrepared_inCommitOrder_evenOnASchedulerWithSeveralThreads() throws Exception {
    List<Long> prepared = Collections.synchronizedList(new ArrayList<>());
    List<Long> finished = Collections.synchronizedList(new ArrayList<>());
    List<Long> finishedBeforePrepared = Collections.synchronizedList(new ArrayList<>());
    StateStore store = new FailingStoreBase(new MemoryStateStore()) {
      @Override
      public void prepare(ChangeSet block) {
        if (block.height() % 7 == 0) {
          LockSupport.parkNanos(2_000_000); // a slow block: later ones would overtake it
        }
        prepared.add(block.height());
      }

      @Override
      public void finishPreparing(ChangeSet block) {
        if (!prepared.contains(block.height())) {
          finishedBeforePrepared.add(block.height());
        }
        if (block.height() % 5 == 0) {
          LockSupport.parkNanos(2_000_000);
        }
        finished.add(block.height());
      }
    };
    ScheduledExecutorService pool = Executors.newScheduledThreadPool(4);
    try (Sdb sdb = Sdb.builder().schema(TestModels.schema()).store(store).flushScheduler(pool)
        .flushInterval(Duration.ofHours(1)).open()) {
      for (long h = 0; h < 100; h++) {
        sdb.beginBlock(TestModels.block(h));
        sdb.create("Account", Map.of("address", "a" + h));
        sdb.commitBlock();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (finished.size() < 100 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(prepared).hasSize(100).isSorted();
    assertThat(finished).hasSize(100).isSorted();
    assertThat(finishedBeforePrepared).as("second stage before the first").isEmpty();
  }

  /** A store that records both stages of preparation and holds the second stage of block 0. */
  private static final class StagedStore extends FailingStoreBase {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final java.util.concurrent.CountDownLatch finishing0 = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

    StagedStore(StateStore delegate) {
      super(delegate);
    }

    @Override
    public void prepare(ChangeSet block) {
      events.add("prepare " + block.height());
    }

    @Override
    public void finishPreparing(ChangeSet block) {
      events.add("finish " + block.height());
      if (block.height() == 0) {
        finishing0.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    void awaitEvents(int count) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (events.size() < count && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }
  }

  @Test
  void newBlocksGetTheirFirstStage_beforeOlderBlocksTheirSecond() throws Exception {
    StagedStore store = new StagedStore(new MemoryStateStore());
    try (Sdb sdb = Sdb.builder().schema(TestModels.schema()).store(store)
        .flushInterval(Duration.ofHours(1)).open()) {
      Scenario.genesis(sdb);
      assertThat(store.finishing0.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      Scenario.blocks(sdb, 1, 3, 7); // arrive while block 0 is being finished
      store.release.countDown();
      store.awaitEvents(8);
    }
    assertThat(store.events).containsExactly("prepare 0", "finish 0", "prepare 1", "prepare 2",
        "prepare 3", "finish 1", "finish 2", "finish 3");
  }

  @Test
  void blocksFlushedOrRolledBackBeforeTheirPreparation_areNotPrepared() throws Exception {
    StagedStore store = new StagedStore(new MemoryStateStore());
    try (Sdb sdb = Sdb.builder().schema(TestModels.schema()).store(store)
        .flushInterval(Duration.ofHours(1)).open()) {
      Scenario.genesis(sdb);
      assertThat(store.finishing0.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      Scenario.blocks(sdb, 1, 2, 7);
      sdb.flush(); // blocks 1 and 2 are written before the flusher's thread gets to them
      Scenario.blocks(sdb, 3, 4, 7);
      sdb.rollbackBlock(2); // and 3 and 4 are gone
      store.release.countDown();
      Scenario.blocks(sdb, 3, 3, 8);
      store.awaitEvents(4);
      sdb.flush();
    }
    assertThat(store.events).containsExactly("prepare 0", "finish 0", "prepare 3", "finish 3");
  }

  @Test
  void aSchedulerThatRefusesWork_costsTheHeadStartOnly_commitsAndFlushesGoOn() {
    List<Long> prepared = Collections.synchronizedList(new ArrayList<>());
    MemoryStateStore memory = new MemoryStateStore();
    StateStore store = new FailingStoreBase(memory) {
      @Override
      public void prepare(ChangeSet block) {
        prepared.add(block.height());
      }
    };
    ScheduledExecutorService pool = Executors.newScheduledThreadPool(1);
    try (Sdb sdb = Sdb.builder().schema(TestModels.schema()).store(store).flushScheduler(pool)
        .flushInterval(Duration.ofHours(1)).open()) {
      pool.shutdown();
      for (long h = 0; h < 3; h++) {
        sdb.beginBlock(TestModels.block(h));
        sdb.create("Account", Map.of("address", "a" + h));
        sdb.commitBlock();
      }
      sdb.flush();
      assertThat(memory.flushedHeight()).isEqualTo(2);
      assertThat(sdb.lastHeight()).isEqualTo(2);
    }
    assertThat(prepared).isEmpty();
  }

  @Test
  void builder_rejectsBadAndRepeatedSettings() {
    assertThatThrownBy(() -> Sdb.builder().flushInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("flushInterval must be positive: PT0S");
    assertThatThrownBy(() -> Sdb.builder().flushInterval(Duration.ofSeconds(10))
        .flushInterval(Duration.ofSeconds(5)))
        .isInstanceOf(IllegalStateException.class).hasMessage("flushInterval was already set to PT10S");
    assertThatThrownBy(() -> Sdb.builder().maxPendingBlocks(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Sdb.builder().schema(TestModels.schema()).open())
        .isInstanceOf(IllegalStateException.class).hasMessage("store must be set before open()");
  }
}
