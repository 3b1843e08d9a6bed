package dev.sdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.schema.ModelSchema;
import dev.sdb.store.MemoryStateStore;
import dev.sdb.store.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PipelinedScanTest {
  private static final ModelSchema ACCOUNT = TestModels.schema().model("Account");

  /** A store whose scan yields {@code rows} rows (then fails, if {@code failure} is set). */
  private static StateStore scanning(int rows, RuntimeException failure, AtomicInteger produced) {
    return new FailingStoreBase(new MemoryStateStore()) {
      @Override
      public void scan(ModelSchema model, Consumer<Object[]> sink) {
        for (int i = 0; i < rows; i++) {
          sink.accept(new Object[] {i});
          produced.incrementAndGet();
        }
        if (failure != null) {
          throw failure;
        }
      }
    };
  }

  @Test
  void everyRow_arrivesInOrder_onTheCallersThread() {
    List<Integer> seen = new ArrayList<>();
    Thread caller = Thread.currentThread();
    PipelinedScan.scan(scanning(10_000, null, new AtomicInteger()), ACCOUNT, row -> {
      assertThat(Thread.currentThread()).isSameAs(caller);
      seen.add((Integer) row[0]);
    });
    assertThat(seen).hasSize(10_000).isSorted().startsWith(0).endsWith(9_999);
  }

  @Test
  void aFailingScan_failsTheCaller_withTheStoresException() {
    StoreException broken = new StoreException("disk on fire");
    List<Object[]> seen = new ArrayList<>();
    assertThatThrownBy(() -> PipelinedScan.scan(scanning(5_000, broken, new AtomicInteger()),
        ACCOUNT, seen::add)).isSameAs(broken);
  }

  @Test
  void aFailingSink_stopsTheScan_andFailsTheCaller() {
    AtomicInteger produced = new AtomicInteger();
    IllegalStateException refused = new IllegalStateException("duplicate");
    assertThatThrownBy(() -> PipelinedScan.scan(scanning(10_000_000, null, produced), ACCOUNT,
        row -> {
          throw refused;
        })).isSameAs(refused);
    int after = produced.get();
    assertThat(after).as("the reader stopped early").isLessThan(10_000_000);
    assertThat(readerThreads()).as("and has ended").isEmpty();
    assertThat(produced.get()).isEqualTo(after);
  }

  @Test
  void aStoreThatWrapsTheStop_stillEnds() {
    StateStore wrapping = new FailingStoreBase(new MemoryStateStore()) {
      @Override
      public void scan(ModelSchema model, Consumer<Object[]> sink) {
        try {
          for (int i = 0; i < 10_000_000; i++) {
            sink.accept(new Object[] {i});
          }
        } catch (RuntimeException e) {
          throw new StoreException("scan of " + model.name() + " failed", e);
        }
      }
    };
    IllegalStateException refused = new IllegalStateException("duplicate");
    assertThatThrownBy(() -> PipelinedScan.scan(wrapping, ACCOUNT, row -> {
      throw refused;
    })).isSameAs(refused);
    assertThat(readerThreads()).isEmpty();
  }

  @Test
  void aCancellationFromTheStore_isTheStoresFailure() {
    java.util.concurrent.CancellationException cancelled =
        new java.util.concurrent.CancellationException("store closed");
    assertThatThrownBy(() -> PipelinedScan.scan(scanning(10, cancelled, new AtomicInteger()),
        ACCOUNT, row -> { })).isSameAs(cancelled);
  }

  private static List<Thread> readerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("sdb-load-Account") && t.isAlive()).toList();
  }
}
