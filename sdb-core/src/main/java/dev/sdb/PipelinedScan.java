package dev.sdb;

import dev.sdb.schema.ModelSchema;
import dev.sdb.store.StateStore;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A {@link StateStore#scan} whose rows are read on a helper thread and handed to the calling
 * thread in batches: loading a memory model at start-up then reads the database on one core while
 * the other builds the table. The caller sees the rows in the store's order, on its own thread,
 * and any failure of either side as if the scan had run on its thread.
 */
final class PipelinedScan {
  private static final int BATCH_ROWS = 4_096;
  private static final Object[][] END = new Object[0][];

  private PipelinedScan() {}

  static void scan(StateStore store, ModelSchema model, Consumer<Object[]> sink) {
    BlockingQueue<Object[][]> queue = new ArrayBlockingQueue<>(8);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader = Thread.ofPlatform().name("sdb-load-" + model.name()).daemon(true).unstarted(
        () -> read(store, model, queue, failure));
    reader.start();
    try {
      for (Object[][] batch = take(queue, model); batch != END; batch = take(queue, model)) {
        for (Object[] row : batch) {
          sink.accept(row);
        }
      }
    } catch (RuntimeException | Error e) {
      reader.interrupt(); // stops the scan at its next batch
      throw e;
    }
    join(reader, model);
    Throwable t = failure.get();
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
  }

  private static void read(StateStore store, ModelSchema model, BlockingQueue<Object[][]> queue,
      AtomicReference<Throwable> failure) {
    try {
      Object[][][] batch = {new Object[BATCH_ROWS][]};
      int[] size = {0};
      store.scan(model, row -> {
        batch[0][size[0]++] = row;
        if (size[0] == BATCH_ROWS) {
          put(queue, batch[0]);
          batch[0] = new Object[BATCH_ROWS][];
          size[0] = 0;
        }
      });
      put(queue, Arrays.copyOf(batch[0], size[0]));
    } catch (CancellationException e) {
      return; // the caller failed and no longer reads
    } catch (Throwable t) {
      failure.set(t);
    }
    try {
      put(queue, END);
    } catch (CancellationException e) {
      // the caller failed meanwhile
    }
  }

  private static void put(BlockingQueue<Object[][]> queue, Object[][] batch) {
    try {
      while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
        if (Thread.currentThread().isInterrupted()) {
          throw new CancellationException();
        }
      }
    } catch (InterruptedException e) {
      throw new CancellationException();
    }
  }

  private static Object[][] take(BlockingQueue<Object[][]> queue, ModelSchema model) {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("loading " + model.name() + " was interrupted", e);
    }
  }

  private static void join(Thread reader, ModelSchema model) {
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("loading " + model.name() + " was interrupted", e);
    }
  }
}
