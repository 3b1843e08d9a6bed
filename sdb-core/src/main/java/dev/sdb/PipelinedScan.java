package dev.sdb;

import dev.sdb.schema.ModelSchema;
import dev.sdb.store.StateStore;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A {@link StateStore#scan} whose rows are read on a helper thread and handed to the calling
 * thread in batches: loading a memory model at start-up then reads the database on one core while
 * the other builds the table. The caller sees the rows in the store's order, on its own thread,
 * and any failure of either side as if the scan had run on its thread; when it returns or throws,
 * the helper thread has ended.
 */
final class PipelinedScan {
  private static final int BATCH_ROWS = 4_096;
  private static final Object[][] END = new Object[0][];

  /** Thrown inside the store's scan to stop it once the caller has given up. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }

  private final StateStore store;
  private final ModelSchema model;
  private final BlockingQueue<Object[][]> queue = new ArrayBlockingQueue<>(8);
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private PipelinedScan(StateStore store, ModelSchema model) {
    this.store = store;
    this.model = model;
  }

  static void scan(StateStore store, ModelSchema model, Consumer<Object[]> sink) {
    new PipelinedScan(store, model).run(sink);
  }

  private void run(Consumer<Object[]> sink) {
    Thread reader = Thread.ofPlatform().name("sdb-load-" + model.name()).daemon(true)
        .start(this::read);
    try {
      for (Object[][] batch = take(); batch != END; batch = take()) {
        for (Object[] row : batch) {
          sink.accept(row);
        }
      }
    } catch (RuntimeException | Error e) {
      stop(reader);
      Throwable t = failure.get();
      if (t != null && t != e) {
        e.addSuppressed(t);
      }
      throw e;
    }
    join(reader);
    Throwable t = failure.get();
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    if (t != null) {
      throw new StoreException("loading " + model.name() + " failed", t);
    }
  }

  private void read() {
    try {
      Object[][][] batch = {new Object[BATCH_ROWS][]};
      int[] size = {0};
      store.scan(model, row -> {
        batch[0][size[0]++] = row;
        if (size[0] == BATCH_ROWS) {
          put(batch[0]);
          batch[0] = new Object[BATCH_ROWS][];
          size[0] = 0;
        }
      });
      put(Arrays.copyOf(batch[0], size[0]));
    } catch (Throwable t) {
      if (stopped.get()) {
        return; // the caller has given up and reads no more
      }
      failure.set(t);
    }
    try {
      put(END);
    } catch (Stopped e) {
      // the caller gave up meanwhile
    }
  }

  /** Hands a batch over; throws {@link Stopped} once the caller has given up. */
  private void put(Object[][] batch) {
    try {
      while (!queue.offer(batch, 50, TimeUnit.MILLISECONDS)) {
        if (stopped.get()) {
          throw new Stopped();
        }
      }
    } catch (InterruptedException e) {
      throw new Stopped();
    }
  }

  private Object[][] take() {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("loading " + model.name() + " was interrupted", e);
    }
  }

  /** After the caller failed: stops the reader and waits for it (a batch at most). */
  private void stop(Thread reader) {
    stopped.set(true);
    reader.interrupt();
    queue.clear();
    try {
      reader.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void join(Thread reader) {
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("loading " + model.name() + " was interrupted", e);
    }
  }
}
