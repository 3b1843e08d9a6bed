package dev.sdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.store.MemoryStateStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
      sdb.close();
      assertThat(exec.isShutdown()).isFalse();
      assertThat(store.flushedHeight()).isZero();
    } finally {
      exec.shutdownNow();
    }
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
