package dev.sdb;

import dev.sdb.schema.Column;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import dev.sdb.schema.UniqueKey;
import dev.sdb.store.StateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * SDB's engine: the state a node's contracts read and write, kept in memory, recorded as deltas,
 * undoable per contract and per block, and flushed to a {@link StateStore} in the background.
 *
 * {@snippet :
 * try (Sdb sdb = Sdb.builder().schema(schema).store(store).open()) {
 *   sdb.beginBlock(new BlockHeader(sdb.lastHeight() + 1, blockId, prevId, timestamp));
 *   sdb.beginContract();
 *   try {
 *     sdb.lock("basic.transfer@" + txId);
 *     sdb.increase("Account", Map.of("gny", -amount), Map.of("address", sender));
 *     sdb.increase("Account", Map.of("gny", amount), Map.of("address", recipient));
 *     sdb.commitContract();
 *   } catch (SdbException e) {
 *     sdb.rollbackContract();          // undoes the contract's changes and locks
 *   }
 *   sdb.commitBlock();                  // returns at once; the store gets it within 10 s
 * }
 * }
 *
 * <p><b>How a block flows.</b> {@code beginBlock} checks the height and makes the calling thread
 * the owner. Every write validates first (types, keys, uniqueness against memory and the store),
 * then replaces the entity's immutable row in its {@code Table} and appends a {@link Delta} to the
 * {@code ChangeTracker}; contracts are savepoints in that list. {@code commitBlock} seals the deltas
 * into an immutable {@link ChangeSet} and queues it for the {@code Flusher}. Normal-model entities
 * changed since the last flush stay pinned in memory until the store has them.
 *
 * <p><b>Undo.</b> Contract and block rollback apply each delta's inverse, newest first, checking
 * that memory holds what the delta recorded. A block rollback undoes the block in progress, the
 * queued blocks and (in the store, atomically) the flushed ones; if the store refuses, memory is
 * rolled forward again, so a failed rollback changes nothing. The exception is a rollback the
 * store cannot say it did or did not do ({@link StoreInDoubtException}), one whose undo cannot
 * be rolled forward again, or one (of a block or a contract) that an {@link Error} interrupts, as
 * an Error in the middle of a write, of a lock or of commitBlock's log append: the engine then
 * stops (every call but {@code close()}, which any thread may then make, fails with a {@link
 * StoreException}) and the next start recovers from the store and the log.
 *
 * <p><b>Threads.</b> Not thread-safe: one writer thread drives it. The thread that calls {@code
 * beginBlock} owns the engine until that block is committed or rolled back, and between blocks a
 * call owns it while it runs; calls from other threads meanwhile throw {@link
 * WrongThreadException}. Readers for HTTP handlers use the store's own thread-safe reader
 * instead.
 *
 * <p><b>Errors.</b> Every rejected call throws a subclass of {@link SdbException} whose message
 * names the model, key and property, and leaves heights, locks, entities and pending changes
 * exactly as they were (but for a stopped engine, above; a normal model's cache may have read
 * rows from the store meanwhile, which equal the store's); a call from the wrong thread gets the
 * JDK's {@link WrongThreadException} and changes nothing either.
 */
public final class Sdb implements AutoCloseable {
  private final Schema schema;
  private final StateStore store;
  private final Map<String, Table> tables = new HashMap<>();
  private final Lifecycle lifecycle;
  private final ChangeTracker tracker = new ChangeTracker();
  private final Flusher flusher;
  private final Wal wal;
  private final List<SdbListener> listeners;
  private long unpinnedTo;
  /** Opened when the one close that won has closed the resources; later closes wait for it. */
  private final CountDownLatch closedDown = new CountDownLatch(1);
  /** Made in advance: after an OutOfMemoryError there may be no room for a stop's reason. */
  private final StoreException stoppedByAnError = new StoreException(
      "an Error left memory in doubt, and there was no memory to record where");
  /**
   * For tests: told where the engine is at the points an Error may hit while memory, the log and
   * the queue disagree: "write", "commit", and the context of each delta a rollback (or the
   * restore after one) applies. What it throws is thrown there.
   */
  @Nullable Consumer<String> faultForTest;

  Sdb(Schema schema, StateStore store, SdbConfig config, List<SdbListener> listeners,
      @Nullable ScheduledExecutorService scheduler, boolean ownsScheduler,
      @Nullable Path walDirectory, FsyncPolicy fsync) {
    this.schema = schema;
    this.store = store;
    this.listeners = listeners;
    Wal wal = Wal.disabled();
    Flusher flusher = null;
    long height;
    try {
      store.open(schema);
      Wal.Recovery recovery = new Wal.Recovery(Wal.Recovery.NO_REVERT, List.of());
      if (walDirectory != null) {
        FileWal.Opened opened = FileWal.open(walDirectory, schema, fsync, store.flushedHeight());
        wal = opened.wal();
        recovery = opened.recovery();
      }
      if (recovery.revertStoreTo() != Wal.Recovery.NO_REVERT) {
        store.revertTo(recovery.revertStoreTo()); // finish the rollback a crash interrupted
        wal.rollbackDone();
      }
      height = store.flushedHeight();
      requireLogFollowsStore(recovery.blocks(), walDirectory);
      for (ModelSchema model : schema.models()) {
        if (model.isMemory()) {
          MemoryTable table = new MemoryTable(model);
          PipelinedScan.scan(store, model, table::load);
          tables.put(model.name(), table);
        } else {
          tables.put(model.name(), new CachedTable(model, store));
        }
      }
      this.unpinnedTo = height;
      for (ChangeSet set : recovery.blocks()) {
        for (Delta d : set.deltas()) {
          apply(d, set.height(), "replay of block " + set.height() + " from the write-ahead log");
        }
        height = set.height();
      }
      // Only a replay that succeeded may reach the store: the flusher starts after it.
      flusher = new Flusher(store, wal, config, listeners, scheduler, ownsScheduler);
      for (ChangeSet set : recovery.blocks()) {
        flusher.enqueue(set);
      }
    } catch (Throwable e) {
      // The caller gets no engine to close: stop everything started here, without flushing.
      if (flusher != null) {
        closeAfterFailedStart(e, flusher::abandon);
      } else if (ownsScheduler && scheduler != null) {
        closeAfterFailedStart(e, scheduler::shutdown);
      }
      closeAfterFailedStart(e, wal, store);
      throw e;
    }
    this.wal = wal;
    this.flusher = flusher;
    this.lifecycle = new Lifecycle(height);
  }

  /** Closes each resource; a failure to close is added to {@code failure}, which stays thrown. */
  private static void closeAfterFailedStart(Throwable failure, AutoCloseable... resources) {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Throwable t) {
        failure.addSuppressed(t);
      }
    }
  }

  public static SdbBuilder builder() {
    return new SdbBuilder();
  }

  // ---------------------------------------------------------------- blocks

  /** Starts block {@code lastHeight() + 1}; the calling thread owns the engine until it ends. */
  public void beginBlock(BlockHeader header) {
    lifecycle.enter("beginBlock");
    try {
      requireArgument(header, "beginBlock", null, "the block header");
      lifecycle.begin(header);
      unpinFlushed();
    } finally {
      lifecycle.leave();
    }
  }

  /**
   * Seals the block's deltas into a change set, queues it for the store and returns the new
   * height. Refused while a contract is open.
   */
  public long commitBlock() {
    BlockHeader header = lifecycle.requireInBlock("commitBlock");
    lifecycle.enter("commitBlock"); // the block ends here; the call keeps the engine until it does
    try {
      return commit(header);
    } finally {
      lifecycle.leave();
    }
  }

  private long commit(BlockHeader header) {
    if (tracker.depth() > 0) {
      throw new LifecycleException("commitBlock: block " + header.height() + " has "
          + tracker.depth() + " open contract(s); commit or roll them back first");
    }
    flusher.makeRoom();
    ChangeSet set = new ChangeSet(header, tracker.all());
    try {
      wal.append(set); // durable before the block counts as committed
      fault("commit");
      tracker.reset();
      flusher.enqueue(set);
      lifecycle.committed();
    } catch (Error e) {
      // The log may hold the block or not, and the queue and the height may not show it: stop,
      // and the next start takes the block from the log if it is there, as after a crash.
      stopAfter(e, "commitBlock");
      throw e;
    }
    unpinFlushed();
    tellListeners(l -> l.blockCommitted(set), "blockCommitted",
        "block " + header.height() + " is committed", null);
    return header.height();
  }

  /**
   * Tells every listener, also when one of them throws. The first listener's exception comes
   * wrapped in a {@link ListenerException} that says the change ({@code done}) stands, the later
   * ones suppressed on it; that is thrown, or suppressed on {@code failure} if the call failed
   * itself. (An {@link Error} is not caught: it stops the telling at once.)
   */
  private void tellListeners(Consumer<SdbListener> event, String method, String done,
      @Nullable RuntimeException failure) {
    ListenerException listenerFailure = null;
    for (SdbListener l : listeners) {
      try {
        event.accept(l);
      } catch (Exception e) { // (also a checked exception a listener throws sneakily)
        if (listenerFailure == null) {
          listenerFailure = new ListenerException(done + ", but listener "
              + l.getClass().getName() + " failed in " + method + ": " + e, e);
        } else {
          listenerFailure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      if (listenerFailure != null) {
        failure.addSuppressed(listenerFailure);
      }
      throw failure;
    }
    if (listenerFailure != null) {
      throw listenerFailure;
    }
  }

  /** Drops the block in progress (its changes and locks); no-op when no block is in progress. */
  public void rollbackBlock() {
    lifecycle.enter("rollbackBlock");
    try {
      BlockHeader current = lifecycle.current();
      if (current == null) {
        return;
      }
      undoOrRestore(tracker.all(), current.height(), "rollback of block " + current.height());
      tracker.reset();
      lifecycle.end();
    } finally {
      lifecycle.leave();
    }
  }

  /**
   * Undoes every block above {@code height} and the block in progress, in memory and in the
   * store, whether or not they were flushed. Afterwards {@code lastHeight() == height}.
   */
  public void rollbackBlock(long height) {
    lifecycle.enter("rollbackBlock");
    try {
      rollbackTo(height);
    } finally {
      lifecycle.leave();
    }
  }

  private void rollbackTo(long height) {
    long last = lifecycle.lastHeight();
    if (height > last || height < -1) {
      throw new LifecycleException("rollbackBlock(" + height + "): height must be between -1 and "
          + "the last committed height " + last);
    }
    if (height == last) {
      rollbackBlock();
      return;
    }
    List<ChangeSet> unflushed = flusher.takeAboveUnlessFlushing(height);
    if (unflushed != null) {
      undoBlocks(height, unflushed, List.of(), () -> flusher.putBack(unflushed));
    } else {
      flusher.lock();
      try {
        flusher.settleDoubt(); // the store's height must be known before it is rolled back
        long flushed = flusher.flushedHeight();
        List<ChangeSet> queued = flusher.queuedAbove(height);
        List<ChangeSet> stored = height < flushed ? storedAbove(height, flushed) : List.of();
        undoBlocks(height, queued, stored, () -> { });
        flusher.rolledBackTo(height);
      } finally {
        flusher.unlock();
      }
    }
    tracker.reset();
    lifecycle.rolledBackTo(height);
    for (Table t : tables.values()) {
      t.rolledBackTo(height);
    }
    unpinFlushed();
    RuntimeException logFailure = null;
    try {
      // If this record fails, the rollback has happened all the same (the next block record, or
      // the next start, implies its end): the caller learns of the failure, listeners of the
      // rollback.
      wal.rollbackDone();
    } catch (RuntimeException e) {
      logFailure = e;
    }
    tellListeners(l -> l.rolledBack(last, height), "rolledBack",
        "the rollback from height " + last + " to " + height + " is done", logFailure);
  }

  /**
   * Undoes the block in progress, then the queued blocks and the stored ones, newest first, and
   * reverts the store if it holds any of them. If anything fails, memory is rolled forward again,
   * the log records the rollback as aborted, and then {@code onFailure} restores what the caller
   * took; an Error anywhere stops the engine instead.
   */
  private void undoBlocks(long height, List<ChangeSet> queued, List<ChangeSet> stored,
      Runnable onFailure) {
    String operation = "rollbackBlock(" + height + ")";
    try {
      undoBlocksOrRestore(height, operation, queued, stored, onFailure);
    } catch (Error e) {
      // Memory may be partly undone, the store reverted or not, blocks taken from the queue not
      // back in it, and after an Error (out of memory, say) nothing can be trusted to put that
      // right: stop, and leave the rest to the next start, which finishes the rollback the log
      // recorded (or, if the log holds no start of it, keeps the blocks).
      stopAfter(e, operation);
      throw e;
    }
  }

  private void undoBlocksOrRestore(long height, String operation, List<ChangeSet> queued,
      List<ChangeSet> stored, Runnable onFailure) {
    long flushed = flusher.flushedHeight();
    try {
      wal.rollingBack(height); // a crash from here on finishes the rollback at the next start
    } catch (RuntimeException e) {
      onFailure.run();
      throw e;
    }
    List<Undone> undone = new ArrayList<>();
    try {
      BlockHeader current = lifecycle.current();
      if (current != null) {
        undo(tracker.all(), current.height(), "rollback of block " + current.height(), undone);
      }
      for (int i = queued.size() - 1; i >= 0; i--) {
        ChangeSet set = queued.get(i);
        undo(set.deltas(), set.height(), "rollback of block " + set.height(), undone);
      }
      for (int i = stored.size() - 1; i >= 0; i--) {
        ChangeSet set = stored.get(i);
        undo(set.deltas(), set.height(), "rollback of block " + set.height(), undone);
      }
      if (!stored.isEmpty()) {
        wal.force(); // the rollback's start is on the disk before the store changes
        store.revertTo(height, stored);
      }
    } catch (StoreInDoubtException e) {
      // The database may have rolled back or not. Memory cannot follow it, and the log must not
      // take a block after the rollback's start: stop, and leave the rest to the next start,
      // which finishes the rollback the log recorded.
      stop(e);
      throw new StoreInDoubtException(operation + ": " + e.getMessage()
          + "; SDB stopped: restart it, and the start-up completes the rollback", e);
    } catch (RuntimeException e) {
      boolean restored = restore(undone, e);
      for (Table t : tables.values()) {
        t.flushedTo(flushed);
      }
      try {
        wal.rollbackAborted(); // first: once the blocks are queued again, a flush may store them
        // and on the disk before the caller goes on: a start record that outlived its abort (a
        // power loss under group commit) would undo at the next start blocks the caller kept
        wal.force();
      } catch (RuntimeException logFailure) {
        e.addSuppressed(logFailure); // the log is closed then; the next start ends the rollback
      }
      if (!restored) {
        throw e; // stopped: the next start rebuilds memory from the store and the log
      }
      onFailure.run();
      throw e;
    }
  }

  /**
   * The log's first block to replay must follow the store's last one, by id and not only by
   * height: a log kept beside a database restored from a backup, or beside another database at
   * the same height, would otherwise be replayed onto a chain it does not belong to.
   */
  private void requireLogFollowsStore(List<ChangeSet> replay, @Nullable Path walDirectory) {
    if (replay.isEmpty() || replay.get(0).height() == 0) {
      return;
    }
    BlockHeader first = replay.get(0).block();
    Optional<String> storeId = store.blockId(first.height() - 1);
    if (storeId.isPresent() && !storeId.get().equals(first.prevBlockId())) {
      throw new StoreException("write-ahead log " + walDirectory + " belongs to another chain: "
          + "its block " + first.height() + " follows block '" + first.prevBlockId() + "', but "
          + "the store's block " + (first.height() - 1) + " is '" + storeId.get() + "'; refusing "
          + "to start rather than replay it (move the log away if the store is the one to keep)");
    }
  }

  /**
   * Rolls forward again what a failed rollback had undone. If even that fails, memory is no longer
   * any block's state: the engine stops (see {@link Lifecycle}) and this returns false, or
   * rethrows the redo's Error with {@code failure} suppressed on it.
   */
  private boolean restore(List<Undone> undone, RuntimeException failure) {
    try {
      redo(undone);
      return true;
    } catch (Error e) { // not returned as false: an Error is thrown on, the failure on it
      stopAfter(e, "restoring memory after a failed rollback");
      e.addSuppressed(failure);
      throw e;
    } catch (RuntimeException redoFailed) {
      stop(new StoreException("memory could not be restored after a failed rollback",
          redoFailed));
      failure.addSuppressed(redoFailed);
      return false;
    }
  }

  /**
   * {@link #stop} after an Error in {@code what} (a rollback, a write or a commit: where memory
   * may no longer be any block's state). It stops first with a reason made in advance, because
   * after an OutOfMemoryError even the message may not fit, and then puts in the details if they
   * do.
   */
  private void stopAfter(Error e, String what) {
    if (lifecycle.isStopped()) {
      return; // by a handler nearer the Error, with its details
    }
    lifecycle.stop(stoppedByAnError);
    try {
      lifecycle.stop(new StoreException(what + " failed with " + e, e));
    } catch (Error noRoomForDetails) {
      // stopped all the same, with the reason made in advance
    }
    try {
      flusher.abandon();
    } catch (RuntimeException | Error abandonFailed) { // e stays what the caller sees
      try {
        e.addSuppressed(abandonFailed);
      } catch (Error noRoomForTheRecord) {
        // the engine refuses every call all the same
      }
    }
  }

  /** Every call but close() fails from now on, and no flush runs: the next start recovers. */
  private void stop(StoreException why) {
    lifecycle.stop(why);
    flusher.abandon();
  }

  private List<ChangeSet> storedAbove(long height, long flushed) {
    List<ChangeSet> sets = store.changeSetsAbove(height);
    if (sets.size() != flushed - height || sets.get(0).height() != height + 1) {
      throw new LifecycleException("rollbackBlock(" + height + "): the store holds the history "
          + "of " + sets.size() + " blocks above " + height + " but " + (flushed - height)
          + " were flushed; history below " + (sets.isEmpty() ? flushed : sets.get(0).height())
          + " was pruned");
    }
    return sets;
  }

  // ---------------------------------------------------------------- contracts

  /** Opens a savepoint; contracts nest, and each rollback undoes the innermost one. */
  public void beginContract() {
    lifecycle.requireInBlock("beginContract");
    tracker.openSavepoint();
  }

  /** Keeps the innermost contract's changes and locks as part of the block (or outer contract). */
  public void commitContract() {
    requireContract("commitContract");
    tracker.releaseSavepoint();
  }

  /** Undoes every change and releases every lock since the matching {@link #beginContract()}. */
  public void rollbackContract() {
    BlockHeader header = requireContract("rollbackContract");
    undoOrRestore(tracker.sinceSavepoint(), header.height(), "rollbackContract in block "
        + header.height());
    tracker.rollbackSavepoint();
  }

  private BlockHeader requireContract(String operation) {
    BlockHeader header = lifecycle.requireInBlock(operation);
    if (tracker.depth() == 0) {
      throw new LifecycleException(operation + " called without beginContract in block "
          + header.height());
    }
    return header;
  }

  // ---------------------------------------------------------------- writes

  /**
   * Creates an entity: defaults filled, {@code _version_} 1. The primary key is required; a
   * primary key or unique value that exists in memory or in the store is a {@link
   * DuplicateKeyException}.
   *
   * @return the full entity
   */
  public Map<String, Object> create(String model, Map<String, ?> values) {
    return create(model, values, entity -> entity);
  }

  /** Creates an entity from an annotated record or object and returns it as its own type. */
  public <T> T create(T entity) {
    lifecycle.requireInBlock("create");
    requireArgument(entity, "create", null, "the entity");
    ModelSchema m = model(entity.getClass());
    return create(m.name(), EntityMapper.toMap(entity), row -> typed(row, entity));
  }

  /**
   * Validates the new entity and makes the caller's result from it before anything is written, so
   * that a result that cannot be made (a type Jackson cannot build) changes nothing either.
   */
  private <R> R create(String model, Map<String, ?> values, Function<Map<String, Object>, R> as) {
    BlockHeader header = lifecycle.requireInBlock("create");
    Table table = table(model);
    ModelSchema m = table.model();
    requireArgument(values, "create", m, "values");
    Object[] row = Rows.create(m, values);
    Object key = m.keyOf(row);
    if (table.exists(key)) {
      throw new DuplicateKeyException(m.name() + m.keyMap(key) + ": primary key already exists");
    }
    requireUnique(table, key, null, row);
    R result = as.apply(new RowMap(m, row));
    write(table, key, null, row, Delta.created(m, key, row), header.height());
    return result;
  }

  /** Loads the entity with the primary key in {@code values}, creating it if absent. */
  public Created<Map<String, Object>> createOrLoad(String model, Map<String, ?> values) {
    return createOrLoad(model, values, entity -> entity);
  }

  public <T> Created<T> createOrLoad(T entity) {
    lifecycle.requireInBlock("createOrLoad");
    requireArgument(entity, "createOrLoad", null, "the entity");
    ModelSchema m = model(entity.getClass());
    return createOrLoad(m.name(), EntityMapper.toMap(entity), row -> typed(row, entity));
  }

  private <R> Created<R> createOrLoad(String model, Map<String, ?> values,
      Function<Map<String, Object>, R> as) {
    lifecycle.requireInBlock("createOrLoad");
    ModelSchema m = table(model).model();
    requireArgument(values, "createOrLoad", m, "values");
    Rows.checkCreateValues(m, values, "createOrLoad"); // bad input fails even if it exists
    Map<String, Object> key = new LinkedHashMap<>();
    for (var c : m.primaryKey()) {
      key.put(c.name(), values.get(c.name()));
    }
    Optional<Map<String, Object>> loaded = load(model, key);
    return loaded.map(e -> new Created<>(false, as.apply(e)))
        .orElseGet(() -> new Created<>(true, create(model, values, as)));
  }

  /**
   * Changes properties of the entity named by {@code key} (primary, composite or unique key).
   * Only changed properties are recorded; if nothing changes, no delta and no new version.
   */
  public void update(String model, Map<String, ?> changes, Map<String, ?> key) {
    BlockHeader header = lifecycle.requireInBlock("update");
    Table table = table(model);
    requireArgument(changes, "update", table.model(), "changes");
    Found found = existing(table, key, "update");
    Object k = found.key();
    Object[] before = found.row();
    Object[] after = Rows.update(table.model(), before, changes);
    if (after != null) {
      requireUnique(table, k, before, after);
      write(table, k, before, after, Delta.modified(table.model(), k, before, after),
          header.height());
    }
  }

  public void update(Class<?> model, Map<String, ?> changes, Map<String, ?> key) {
    update(model(model).name(), changes, key);
  }

  /**
   * Adds to integer properties exactly (int, long, big integer; deltas may be numeric strings).
   * A new value that another entity holds in a unique key is a {@link DuplicateKeyException}, as
   * for {@link #update}.
   *
   * @return the new values of the increased properties
   */
  public Map<String, Object> increase(String model, Map<String, ?> deltas, Map<String, ?> key) {
    BlockHeader header = lifecycle.requireInBlock("increase");
    Table table = table(model);
    requireArgument(deltas, "increase", table.model(), "deltas");
    Found found = existing(table, key, "increase");
    Object k = found.key();
    Object[] before = found.row();
    Rows.Increased increased = Rows.increase(table.model(), before, deltas);
    Object[] after = increased.after();
    if (after != null) {
      requireUnique(table, k, before, after); // an INT column can be part of a unique key
      write(table, k, before, after, Delta.modified(table.model(), k, before, after),
          header.height());
    }
    return increased.values();
  }

  public Map<String, Object> increase(Class<?> model, Map<String, ?> deltas, Map<String, ?> key) {
    return increase(model(model).name(), deltas, key);
  }

  /** Deletes the entity named by {@code key} (primary, composite or unique key). */
  public void del(String model, Map<String, ?> key) {
    BlockHeader header = lifecycle.requireInBlock("del");
    Table table = table(model);
    Found found = existing(table, key, "del");
    Object k = found.key();
    Object[] before = found.row();
    write(table, k, before, null, Delta.deleted(table.model(), k, before), header.height());
  }

  public void del(Class<?> model, Map<String, ?> key) {
    del(model(model).name(), key);
  }

  /**
   * Takes a lock for the rest of the block; a name can be locked once per block. A lock taken in a
   * contract that is rolled back is released.
   */
  public void lock(String name) {
    BlockHeader header = lifecycle.requireInBlock("lock");
    if (name == null || name.isBlank()) {
      throw new InvalidValueException("lock name must not be blank in block " + header.height());
    }
    boolean taken;
    try {
      taken = tracker.lock(name);
      fault("lock");
    } catch (Error e) { // a name half recorded, which no contract rollback would release: stop
      stopAfter(e, "a lock");
      throw e;
    }
    if (!taken) {
      throw new LockConflictException("lock '" + name + "' is already held in block "
          + header.height());
    }
  }

  // ---------------------------------------------------------------- reads

  /** The entity as the writer sees it now (unflushed changes included), from memory or the store. */
  public Optional<Map<String, Object>> load(String model, Map<String, ?> key) {
    lifecycle.enter("load");
    try {
      Table table = table(model);
      Object k = KeyResolver.resolve(table, key, "load");
      Object[] row = k == null ? null : table.get(k);
      return row == null ? Optional.empty() : Optional.of(new RowMap(table.model(), row));
    } finally {
      lifecycle.leave();
    }
  }

  public <T> Optional<T> load(Class<T> type, Map<String, ?> key) {
    return load(model(type).name(), key).map(m -> EntityMapper.toType(m, type));
  }

  /** Like {@link #load} for memory models, which never touch the store. */
  public Optional<Map<String, Object>> get(String model, Map<String, ?> key) {
    lifecycle.enter("get");
    try {
      memoryTable(model, "get");
      return load(model, key);
    } finally {
      lifecycle.leave();
    }
  }

  public <T> Optional<T> get(Class<T> type, Map<String, ?> key) {
    return get(model(type).name(), key).map(m -> EntityMapper.toType(m, type));
  }

  /** Every entity of a memory model, in primary-key order. */
  public List<Map<String, Object>> getAll(String model) {
    lifecycle.enter("getAll");
    try {
      MemoryTable table = memoryTable(model, "getAll");
      List<Map<String, Object>> result = new ArrayList<>();
      for (Object[] row : table.all()) {
        result.add(new RowMap(table.model(), row));
      }
      return Collections.unmodifiableList(result);
    } finally {
      lifecycle.leave();
    }
  }

  public <T> List<T> getAll(Class<T> type) {
    return getAll(model(type).name()).stream().map(m -> EntityMapper.toType(m, type)).toList();
  }

  public boolean has(String model, Map<String, ?> key) {
    return load(model, key).isPresent();
  }

  public boolean has(Class<?> model, Map<String, ?> key) {
    return has(model(model).name(), key);
  }

  /** Whether a lock name is held in the block in progress. */
  public boolean isLocked(String name) {
    lifecycle.enter("isLocked");
    try {
      return tracker.isLocked(name);
    } finally {
      lifecycle.leave();
    }
  }

  // ---------------------------------------------------------------- state

  /** The height of the last committed block; -1 before genesis. */
  public long lastHeight() {
    return lifecycle.lastHeight();
  }

  /** The height of the block in progress, if any. */
  public Optional<BlockHeader> currentBlock() {
    return Optional.ofNullable(lifecycle.current());
  }

  /** The height of the last block the store holds. */
  public long flushedHeight() {
    return flusher.flushedHeight();
  }

  public Schema schema() {
    return schema;
  }

  /** The engine's counters; call it on the writer thread and publish the result to others. */
  public SdbStats stats() {
    lifecycle.enter("stats");
    try {
      long hits = 0;
      long misses = 0;
      int pinned = 0;
      for (Table t : tables.values()) {
        if (t instanceof CachedTable c) {
          hits += c.hits();
          misses += c.misses();
        }
        pinned += t.pinnedCount();
      }
      return new SdbStats(lastHeight(), flushedHeight(), flusher.pending(),
          flusher.pendingDeltas(), hits, misses, pinned,
          flusher.flushes(), flusher.failures(), flusher.lastFailure());
    } finally {
      lifecycle.leave();
    }
  }

  /** Writes every committed block to the store now, and waits for it. */
  public void flush() {
    lifecycle.enter("flush");
    try {
      flusher.flush();
      unpinFlushed();
    } finally {
      lifecycle.leave();
    }
  }

  /**
   * Flushes every committed block and closes the store. A block in progress is dropped (it was
   * never committed). An engine that stopped (see {@link StoreInDoubtException}) closes without
   * flushing, from any thread (a shutdown hook, say): the next start recovers from the log.
   */
  @Override
  public void close() {
    if (lifecycle.isClosed()) {
      awaitClosedDown();
      return;
    }
    boolean taken = lifecycle.enterToClose();
    try {
      boolean stopped = lifecycle.isStopped();
      try {
        if (!stopped) {
          rollbackBlock();
        }
      } finally {
        if (lifecycle.close()) {
          try {
            closeResources(stopped);
          } finally {
            closedDown.countDown();
          }
        } else {
          awaitClosedDown(); // a close on another thread (a shutdown hook, say) is at work
        }
      }
    } finally {
      if (taken) {
        lifecycle.leave();
      }
    }
  }

  /** Returns once the close that won has released the store and the log (or on interrupt). */
  private void awaitClosedDown() {
    try {
      closedDown.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeResources(boolean stopped) {
    try {
      if (stopped) {
        flusher.abandon();
      } else {
        flusher.close();
      }
    } finally {
      try {
        wal.close();
      } finally {
        store.close();
      }
    }
  }

  // ---------------------------------------------------------------- internals

  private void write(Table table, Object key, Object @Nullable [] before, Object @Nullable [] after,
      Delta delta, long height) {
    try {
      table.put(key, before, after, height);
      fault("write");
      tracker.record(delta);
    } catch (Error e) { // a change in memory that no rollback would undo: stop, as for a rollback
      stopAfter(e, "a write");
      throw e;
    }
  }

  private void fault(String point) {
    if (faultForTest != null) {
      faultForTest.accept(point);
    }
  }

  private record Undone(Delta delta, long height) {}

  /** Applies the inverses of {@code deltas}, newest first, adding each to {@code undone}. */
  private void undo(List<Delta> deltas, long height, String context, List<Undone> undone) {
    for (int i = deltas.size() - 1; i >= 0; i--) {
      Delta d = deltas.get(i);
      apply(d.inverse(), height, context);
      undone.add(new Undone(d, height));
    }
  }

  /**
   * Undoes deltas of the block in progress (a contract's, or the whole block's), newest first; if
   * one does not apply (memory drifted from what it recorded), the ones undone are rolled forward
   * again before the failure is thrown, so the call changes nothing.
   */
  private void undoOrRestore(List<Delta> deltas, long height, String context) {
    List<Undone> undone = new ArrayList<>(deltas.size());
    try {
      undo(deltas, height, context, undone);
    } catch (RuntimeException e) {
      restore(undone, e);
      throw e;
    } catch (Error e) { // partly undone, and a redo after an Error cannot be trusted: see above
      stopAfter(e, context);
      throw e;
    }
  }

  /** Rolls forward again what a failed rollback had undone, restoring the state before it. */
  private void redo(List<Undone> undone) {
    for (int i = undone.size() - 1; i >= 0; i--) {
      Undone u = undone.get(i);
      apply(u.delta(), u.height(), "restore after a failed rollback");
    }
  }

  private void apply(Delta d, long height, String context) {
    fault(context);
    Table table = tables.get(d.model().name());
    Object[] current = table.get(d.key());
    table.put(d.key(), current, d.applySharing(current, context), height);
  }

  private void requireUnique(Table table, Object key, Object @Nullable [] before, Object[] after) {
    ModelSchema m = table.model();
    List<UniqueKey> uniqueKeys = m.uniqueKeys();
    for (int i = 0; i < uniqueKeys.size(); i++) { // (no iterator: most models have none)
      UniqueKey uk = uniqueKeys.get(i);
      Object value = ModelSchema.valueOf(after, uk.columns());
      if (value == null
          || (before != null && value.equals(ModelSchema.valueOf(before, uk.columns())))) {
        continue;
      }
      Object holder = table.keyOfUnique(uk, value);
      if (holder != null && !holder.equals(key)) {
        // the key's properties, not its generated name: (round, position), not round_position
        List<String> names = uk.columns().stream().map(Column::name).toList();
        String label = uk.isComposite() ? "(" + String.join(", ", names) + ")" : names.get(0);
        throw new DuplicateKeyException(m.name() + m.keyMap(key) + "." + label + ": unique key "
            + (uk.isComposite() ? label : "'" + label + "'") + "=" + value + " already exists "
            + "(held by " + m.keyMap(holder) + ")");
      }
    }
  }

  private record Found(Object key, Object[] row) {}

  /** The primary key and current row of an existing entity, looked up once. */
  private Found existing(Table table, Map<String, ?> key, String operation) {
    Object k = KeyResolver.resolve(table, key, operation);
    Object[] row = k == null ? null : table.get(k);
    if (row == null) {
      throw new EntityNotFoundException(table.model().name() + key + ": " + operation
          + " of an entity that does not exist");
    }
    return new Found(k, row);
  }

  private void unpinFlushed() {
    long flushed = flusher.flushedHeight();
    if (flushed > unpinnedTo || flushed < unpinnedTo) {
      for (Table t : tables.values()) {
        t.flushedTo(flushed);
      }
      unpinnedTo = flushed;
    }
  }

  private Table table(String model) {
    Table t = tables.get(model);
    if (t == null) {
      throw new UnknownModelException("unknown model '" + model + "'; the schema has "
          + tables.keySet());
    }
    return t;
  }

  private MemoryTable memoryTable(String model, String operation) {
    Table t = table(model);
    if (t instanceof MemoryTable m) {
      return m;
    }
    throw new NotAMemoryModelException(operation + " works on memory models only; " + model
        + " is a normal model, use load");
  }

  private ModelSchema model(Class<?> type) {
    if (type == null) {
      throw new UnknownModelException("the model class must not be null");
    }
    ModelSchema m = schema.model(type);
    if (m == null) {
      throw new UnknownModelException("class " + type.getName() + " is not a model of this "
          + "schema; add it with Schema.builder().model(" + type.getSimpleName() + ".class)");
    }
    return m;
  }

  /** On the write path: the message is made only for a null. */
  private static void requireArgument(@Nullable Object value, String operation,
      @Nullable ModelSchema model, String what) {
    if (value == null) {
      throw new InvalidValueException(operation + (model == null ? "" : "(" + model.name() + ")")
          + ": " + what + " must not be null");
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T typed(Map<String, Object> row, T like) {
    return EntityMapper.toType(row, (Class<T>) like.getClass());
  }

  /** For tests: the deltas of the block in progress, oldest first. */
  List<Delta> currentDeltasForTest() {
    return Collections.unmodifiableList(tracker.all());
  }

  /** For tests: the layers of a normal model's primary-key filter. */
  int filterLayersForTest(String model) {
    return ((CachedTable) table(model)).filterLayers();
  }

  /** For tests: the internal invariants hold (pinned rows never also cached clean). */
  boolean invariantsHold() {
    for (Table t : tables.values()) {
      if (t instanceof CachedTable c && !c.cleanAndPinnedDisjoint()) {
        return false;
      }
    }
    return true;
  }
}
