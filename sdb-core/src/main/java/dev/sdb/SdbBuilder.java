package dev.sdb;

import dev.sdb.schema.Schema;
import dev.sdb.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * The one way to open an {@link Sdb}. Each setting may be set once; a second call or a bad value
 * fails at once, a missing schema or store in {@link #open()}.
 */
public final class SdbBuilder {
  private @Nullable Schema schema;
  private @Nullable StateStore store;
  private @Nullable Duration flushInterval;
  private @Nullable Integer maxPendingBlocks;
  private @Nullable Long maxPendingDeltas;
  private @Nullable Boolean backgroundFlush;
  private @Nullable ScheduledExecutorService scheduler;
  private final List<SdbListener> listeners = new ArrayList<>();
  private @Nullable Path walDirectory;
  private @Nullable Boolean walEnabled;
  private @Nullable FsyncPolicy fsync;

  SdbBuilder() {}

  public SdbBuilder schema(Schema schema) {
    requireUnset(this.schema, "schema");
    this.schema = Objects.requireNonNull(schema, "schema");
    return this;
  }

  /** Where committed blocks go; SDB closes it on {@link Sdb#close()} (or if open() fails). */
  public SdbBuilder store(StateStore store) {
    requireUnset(this.store, "store");
    this.store = Objects.requireNonNull(store, "store");
    return this;
  }

  /** How often queued blocks are written (default 10 s). */
  public SdbBuilder flushInterval(Duration interval) {
    requireUnset(this.flushInterval, "flushInterval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("flushInterval must be positive: " + interval);
    }
    this.flushInterval = interval;
    return this;
  }

  /** How many committed blocks may wait for the store before commitBlock flushes (default 1,000). */
  public SdbBuilder maxPendingBlocks(int blocks) {
    requireUnset(this.maxPendingBlocks, "maxPendingBlocks");
    if (blocks < 1) {
      throw new IllegalArgumentException("maxPendingBlocks must be positive: " + blocks);
    }
    this.maxPendingBlocks = blocks;
    return this;
  }

  /**
   * How many deltas the committed blocks waiting for the store may hold together before
   * commitBlock flushes (default 4,000,000): the bound that counts what large blocks hold.
   */
  public SdbBuilder maxPendingDeltas(long deltas) {
    requireUnset(this.maxPendingDeltas, "maxPendingDeltas");
    if (deltas < 1) {
      throw new IllegalArgumentException("maxPendingDeltas must be positive: " + deltas);
    }
    this.maxPendingDeltas = deltas;
    return this;
  }

  /**
   * No background flusher: blocks reach the store only on {@link Sdb#flush()}, on close, and when
   * the queue is full. For tests and tools that want to control exactly when the store is written.
   */
  public SdbBuilder manualFlush() {
    requireUnset(this.backgroundFlush, "manualFlush");
    this.backgroundFlush = false;
    return this;
  }

  /** Runs the background flush on this scheduler instead of SDB's own daemon thread. */
  public SdbBuilder flushScheduler(ScheduledExecutorService scheduler) {
    requireUnset(this.scheduler, "flushScheduler");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  /**
   * Keeps the write-ahead log in this directory. A durable store (SQLite, PostgreSQL, MariaDB)
   * needs a log or an explicit {@link #noWal()}; SQLite files default to {@code <file>.sdb-wal}.
   */
  public SdbBuilder wal(Path directory) {
    requireUnset(this.walEnabled, "wal");
    this.walDirectory = Objects.requireNonNull(directory, "directory");
    this.walEnabled = true;
    return this;
  }

  /**
   * Switches the write-ahead log off. After a crash the state is then the last flushed block:
   * up to {@code flushInterval} of committed blocks are lost.
   */
  public SdbBuilder noWal() {
    requireUnset(this.walEnabled, "wal");
    this.walEnabled = false;
    return this;
  }

  /** When the log forces its writes to disk (default {@link FsyncPolicy#everyBlock()}). */
  public SdbBuilder fsync(FsyncPolicy policy) {
    requireUnset(this.fsync, "fsync");
    this.fsync = Objects.requireNonNull(policy, "policy");
    return this;
  }

  public SdbBuilder listener(SdbListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Opens the store, loads memory models and returns the engine, positioned at the store's last
   * block. If that fails (say the write-ahead log does not replay onto the store), nothing is left
   * running and the store and the log are closed before the exception propagates.
   */
  public Sdb open() {
    if (store == null) {
      throw new IllegalStateException("store must be set before open()");
    }
    if (schema == null) {
      throw closed(store, new IllegalStateException("schema must be set before open()"));
    }
    SdbConfig config = SdbConfig.defaults();
    if (flushInterval != null) {
      config = config.withFlushInterval(flushInterval);
    }
    if (maxPendingBlocks != null) {
      config = config.withMaxPendingBlocks(maxPendingBlocks);
    }
    if (maxPendingDeltas != null) {
      config = config.withMaxPendingDeltas(maxPendingDeltas);
    }
    if (backgroundFlush != null) {
      config = config.withBackgroundFlush(backgroundFlush);
    }
    @Nullable Path wal;
    try {
      wal = walDirectory(store);
    } catch (RuntimeException e) {
      throw closed(store, e);
    }
    ScheduledExecutorService exec = scheduler;
    boolean owns = false;
    if (config.backgroundFlush() && exec == null) {
      exec = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sdb-flusher");
        t.setDaemon(true);
        return t;
      });
      owns = true;
    }
    return new Sdb(schema, store, config, List.copyOf(listeners),
        config.backgroundFlush() ? exec : null, owns, wal,
        fsync != null ? fsync : FsyncPolicy.everyBlock());
  }

  /** As promised above, a failed open leaves nothing open: closes the store, returns {@code e}. */
  private static RuntimeException closed(StateStore store, RuntimeException e) {
    try {
      store.close();
    } catch (RuntimeException closing) {
      e.addSuppressed(closing);
    }
    return e;
  }

  private @Nullable Path walDirectory(StateStore store) {
    if (Boolean.FALSE.equals(walEnabled) || (walEnabled == null && !store.isDurable())) {
      return null;
    }
    if (walDirectory != null) {
      return walDirectory;
    }
    return store.defaultWalDirectory().orElseThrow(() -> new IllegalStateException(
        "this store needs a write-ahead log directory so that committed blocks survive a crash: "
            + "call wal(directory), or noWal() to accept losing unflushed blocks"));
  }

  private static void requireUnset(@Nullable Object current, String name) {
    if (current != null) {
      throw new IllegalStateException(name + " was already set to " + current);
    }
  }
}
