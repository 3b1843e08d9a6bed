package dev.sdb;

import dev.sdb.store.StateStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves committed blocks from memory to the store.
 *
 * <p><b>Queue.</b> {@code commitBlock} appends the block's immutable change set and returns; the
 * writer never waits for the database, except when the queue has reached its bound, and then it
 * flushes before it commits, so memory stays bounded on a long catch-up.
 *
 * <p><b>Atomicity.</b> A flush hands every queued block to {@link StateStore#apply} in one call,
 * which the store applies in one transaction: the store moves from one block boundary to another.
 * Blocks leave the queue only after the store accepted them; a failed flush keeps them queued and
 * is retried at the next tick.
 *
 * <p><b>Exclusion.</b> One flush at a time runs under {@code flushLock}. A block rollback that must
 * undo flushed blocks, or blocks a running flush is writing, holds the same lock, so it sees a quiet
 * store and a queue that no one else changes; a rollback of queued blocks only takes them from the
 * queue without waiting for the flush in progress.
 */
final class Flusher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

  private final StateStore store;
  private final Wal wal;
  private final int maxPendingBlocks;
  private final long maxPendingDeltas;
  private final List<SdbListener> listeners;
  private final ArrayDeque<ChangeSet> queue = new ArrayDeque<>();
  /** Committed blocks not prepared yet, for {@link #prepareQueued}. Guarded by itself. */
  private final ArrayDeque<ChangeSet> toPrepare = new ArrayDeque<>();
  /** Prepared blocks waiting for {@link StateStore#finishPreparing}. Guarded by toPrepare. */
  private final ArrayDeque<ChangeSet> toFinish = new ArrayDeque<>();
  private boolean preparing;
  private boolean refusalLogged;
  private final ReentrantLock flushLock = new ReentrantLock();
  private final @Nullable ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final @Nullable ScheduledFuture<?> tick;
  private volatile long flushedHeight;
  /** The last height of the batch being written, -1 when no flush runs. Guarded by queue. */
  private long inFlightLast = -1;
  private volatile long flushes;
  private volatile long failures;
  private volatile @Nullable String lastFailure;
  /** Set under flushLock by close() and abandon(): no background flush runs after it. */
  private boolean closed;
  /** The last flush failed without the store knowing whether it committed. */
  private volatile boolean inDoubt;

  Flusher(StateStore store, Wal wal, SdbConfig config, List<SdbListener> listeners,
      @Nullable ScheduledExecutorService scheduler, boolean ownsScheduler) {
    this.store = store;
    this.wal = wal;
    this.maxPendingBlocks = config.maxPendingBlocks();
    this.maxPendingDeltas = config.maxPendingDeltas();
    this.listeners = listeners;
    this.flushedHeight = store.flushedHeight();
    this.scheduler = scheduler;
    this.ownsScheduler = ownsScheduler;
    long ms = config.flushInterval().toMillis();
    this.tick = scheduler == null ? null
        : scheduler.scheduleWithFixedDelay(this::backgroundFlush, ms, ms, TimeUnit.MILLISECONDS);
  }

  long flushedHeight() {
    return flushedHeight;
  }

  long flushes() {
    return flushes;
  }

  long failures() {
    return failures;
  }

  @Nullable String lastFailure() {
    return lastFailure;
  }

  /** Only the flushing thread (which holds flushLock) writes the two fields. */
  private void failed(String why) {
    lastFailure = why;
    failures++;
  }

  int pending() {
    synchronized (queue) {
      return queue.size();
    }
  }

  /** The deltas of the queued blocks together. */
  long pendingDeltas() {
    synchronized (queue) {
      long n = 0;
      for (ChangeSet set : queue) {
        n += set.deltas().size();
      }
      return n;
    }
  }

  /**
   * Called before a commit: if the queue is full, by blocks or by the deltas they hold, flush now
   * (the only time the writer waits).
   */
  void makeRoom() {
    if (pending() >= maxPendingBlocks || pendingDeltas() >= maxPendingDeltas) {
      flush();
    }
  }

  void enqueue(ChangeSet set) {
    synchronized (queue) {
      queue.addLast(set);
    }
    if (scheduler != null) { // prepare while the writer goes on
      synchronized (toPrepare) {
        toPrepare.addLast(set);
        if (!preparing) {
          submitPreparing();
        }
      }
    }
  }

  /**
   * One step of preparation: the first stage of every block queued so far, oldest first, or, when
   * there is none, the second stage of the oldest prepared block. Then it hands the thread back
   * (so the periodic flush is not starved) and continues in a new task if work is left. One such
   * task at a time, whatever the scheduler's threads: a store sees blocks prepared in commit order.
   */
  private void prepareQueued() {
    try {
      List<ChangeSet> batch;
      @Nullable ChangeSet finish = null;
      synchronized (toPrepare) {
        batch = new ArrayList<>(toPrepare);
        toPrepare.clear();
        toFinish.addAll(batch);
        if (batch.isEmpty()) {
          finish = toFinish.pollFirst();
        }
      }
      for (ChangeSet set : batch) {
        prepare(set, store::prepare); // the store skips a block a flush has meanwhile written
      }
      if (finish != null) {
        prepare(finish, store::finishPreparing);
      }
    } finally {
      synchronized (toPrepare) {
        preparing = false;
        if (!toPrepare.isEmpty() || !toFinish.isEmpty()) {
          submitPreparing();
        }
      }
    }
  }

  /**
   * Starts a {@link #prepareQueued} task; called holding {@code toPrepare}. A scheduler that
   * refuses (shut down) only costs the head start: flushes prepare what they find unprepared.
   */
  private void submitPreparing() {
    preparing = true; // before execute: a scheduler may run the task at once, on this thread
    try {
      java.util.Objects.requireNonNull(scheduler).execute(this::prepareQueued);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      preparing = false;
      toPrepare.clear();
      toFinish.clear();
      if (!refusalLogged) {
        refusalLogged = true;
        LOG.warn("the flush scheduler refused to prepare queued blocks; flushes will prepare "
            + "them (logged once)", e);
      }
    }
  }

  private static void prepare(ChangeSet set, Consumer<ChangeSet> stage) {
    try {
      stage.accept(set);
    } catch (RuntimeException e) {
      LOG.warn("store could not prepare block {}; the flush will do that work", set.height(), e);
    }
  }

  /** Writes every queued block to the store now, in one store transaction. */
  void flush() {
    flushLock.lock();
    try {
      flushQueued();
    } finally {
      flushLock.unlock();
    }
  }

  private void backgroundFlush() {
    try {
      flush();
    } catch (RuntimeException | Error e) {
      // (an Error too: one thrown out of a periodic task cancels every later run, silently)
      LOG.error("background flush failed; blocks stay queued and the flush is retried", e);
    }
  }

  private void flushQueued() {
    if (closed) {
      return; // a tick that waited for close()'s own flush must not follow it
    }
    List<ChangeSet> batch;
    synchronized (queue) {
      batch = new ArrayList<>(queue);
      if (batch.isEmpty()) {
        return;
      }
      inFlightLast = batch.get(batch.size() - 1).height();
    }
    long first = batch.get(0).height();
    long last = batch.get(batch.size() - 1).height();
    try {
      wal.force(); // the store must not get ahead of the log (after a rollback, say)
      store.apply(batch);
    } catch (RuntimeException e) {
      synchronized (queue) {
        inFlightLast = -1;
        inDoubt |= e instanceof StoreInDoubtException;
      }
      failed(e.getMessage() != null ? e.getMessage() : e.toString());
      throw new StoreException("flush of blocks " + first + ".." + last + " failed; "
          + describe(), e);
    } catch (Error e) {
      synchronized (queue) {
        inFlightLast = -1;
        inDoubt = true; // it may have struck at the commit: the next rollback asks the store
      }
      failed(e.toString());
      throw e;
    }
    stored(batch.size(), last);
  }

  /** The oldest {@code count} queued blocks, up to {@code last}, are in the store now. */
  private void stored(int count, long last) {
    synchronized (queue) {
      for (int i = 0; i < count; i++) {
        queue.removeFirst();
      }
      flushedHeight = last;
      inFlightLast = -1;
      inDoubt = false;
    }
    synchronized (toPrepare) {
      toPrepare.removeIf(s -> s.height() <= last);
      toFinish.removeIf(s -> s.height() <= last);
    }
    lastFailure = null;
    flushes++;
    try {
      wal.flushedTo(last);
    } catch (RuntimeException e) {
      // (a segment that cannot be deleted is only logged; this is a new one that failed to start)
      LOG.error("flushed to {}, but the write-ahead log could not move on to a new segment and "
          + "takes no more records: the next commitBlock fails; restart to recover", last, e);
    }
    for (SdbListener l : listeners) {
      try {
        l.flushed(last);
      } catch (RuntimeException | Error e) {
        // Flushes run in the background too, where no caller could be told; the blocks are
        // stored all the same, and the other listeners still hear of it.
        LOG.error("listener {} failed on flushed({}); the blocks are in the store", l, last, e);
      }
    }
  }

  /**
   * For a rollback to {@code height} that the store is not part of: removes and returns the
   * queued blocks above it, without waiting for a flush in progress, unless that flush (or an
   * earlier one) holds a block above {@code height}; then returns {@code null} and the rollback
   * must take {@link #lock()} and involve the store.
   */
  @Nullable List<ChangeSet> takeAboveUnlessFlushing(long height) {
    synchronized (queue) {
      if (inFlightLast > height || flushedHeight > height || inDoubt) {
        return null;
      }
      List<ChangeSet> taken = queue.stream().filter(s -> s.height() > height).toList();
      queue.removeIf(s -> s.height() > height);
      forgetPreparing(height);
      return taken;
    }
  }

  /** Rolled-back blocks need no preparing (a flush prepares what it finds unprepared). */
  private void forgetPreparing(long height) {
    synchronized (toPrepare) {
      toPrepare.removeIf(s -> s.height() > height);
      toFinish.removeIf(s -> s.height() > height);
    }
  }

  /** Undoes {@link #takeAboveUnlessFlushing}, after a rollback that failed. */
  void putBack(List<ChangeSet> taken) {
    synchronized (queue) {
      queue.addAll(taken);
    }
  }

  /** Holds off flushes while a rollback works on the queue and the store. */
  void lock() {
    flushLock.lock();
  }

  /**
   * Under {@link #lock()}: if the last flush is in doubt, asks the store which of the queued blocks
   * it holds, without writing any, so that {@link #flushedHeight()} is the store's and a rollback
   * undoes in the store only what it really holds (writing the rest first would cost a flush and
   * could prune history the rollback needs). Throws, changing nothing, if the store cannot tell.
   */
  void settleDoubt() {
    if (!inDoubt) {
      return;
    }
    List<ChangeSet> batch;
    synchronized (queue) {
      batch = new ArrayList<>(queue);
    }
    int held = batch.isEmpty() ? 0 : store.holding(batch);
    if (held > 0) {
      LOG.warn("the flush in doubt had committed blocks {}..{} after all", batch.get(0).height(),
          batch.get(held - 1).height());
      stored(held, batch.get(held - 1).height());
    } else {
      synchronized (queue) {
        inDoubt = false; // not there: the rollback takes them from the queue
      }
    }
  }

  void unlock() {
    flushLock.unlock();
  }

  /** Queued blocks above {@code height}, lowest first. Call under {@link #lock()}. */
  List<ChangeSet> queuedAbove(long height) {
    synchronized (queue) {
      return queue.stream().filter(s -> s.height() > height).toList();
    }
  }

  /** After a rollback to {@code height}: drop queued blocks above it. Call under {@link #lock()}. */
  void rolledBackTo(long height) {
    synchronized (queue) {
      queue.removeIf(s -> s.height() > height);
    }
    forgetPreparing(height);
    flushedHeight = Math.min(flushedHeight, height);
  }

  String describe() {
    synchronized (queue) {
      return "pending=" + queue.size() + " (bound " + maxPendingBlocks + " blocks, "
          + maxPendingDeltas + " deltas), flushedHeight="
          + flushedHeight + (queue.isEmpty() ? "" : ", oldest unflushed=" + queue.peekFirst().height())
          + (lastFailure == null ? "" : ", last flush failed" + (inDoubt ? " (outcome unknown)"
              : "") + ": " + lastFailure);
    }
  }

  /**
   * Stops without flushing, for an engine whose start failed: no tick runs any more, a flush in
   * progress is waited for, the queued blocks are dropped and an owned scheduler is shut down.
   */
  void abandon() {
    if (tick != null) {
      tick.cancel(false);
    }
    flushLock.lock();
    try {
      closed = true;
      synchronized (queue) {
        queue.clear();
      }
      forgetPreparing(-1);
    } finally {
      flushLock.unlock();
      if (ownsScheduler && scheduler != null) {
        scheduler.shutdown();
      }
    }
  }

  @Override
  public void close() {
    if (tick != null) {
      tick.cancel(false);
    }
    flushLock.lock();
    try {
      flushQueued();
    } finally {
      closed = true; // even if that flush failed: the store and the log close next
      flushLock.unlock();
      if (ownsScheduler && scheduler != null) {
        scheduler.shutdown();
      }
    }
  }
}
