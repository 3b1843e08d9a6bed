package dev.sdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * The lifecycle rules in one place: IDLE → IN_BLOCK → IN_CONTRACT(depth) → ..., the height, and
 * which thread may call. Every public call of {@link Sdb} passes through {@link #enter} (and
 * {@link #leave}) or {@link #requireInBlock} before it touches anything.
 *
 * <p><b>Ownership.</b> One thread at a time owns the engine: the thread that begins a block, until
 * that block is committed or rolled back, and between blocks the thread whose call is running,
 * for that call. Any other thread's call meanwhile is refused with {@link WrongThreadException}.
 * So a node may hand its executor to another thread between blocks, and two threads that call at
 * the same time never both get in.
 *
 * <p><b>Stopped.</b> After a failure that leaves the store's state unknown (see {@link
 * StoreInDoubtException}), or memory in doubt after an Error, every call but {@code close()}
 * fails until a restart recovers; {@code close()} may then come from any thread.
 */
final class Lifecycle {
  private static final VarHandle OWNER;

  static {
    try {
      OWNER = MethodHandles.lookup().findVarHandle(Lifecycle.class, "owner", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile long lastHeight; // read by other threads through Sdb.lastHeight()
  // Volatile: another thread's call must see who owns the engine.
  private volatile @Nullable BlockHeader current;
  private volatile @Nullable Thread owner;
  /** Calls of the owner in progress ({@link #enter} nests: a listener may read); owner's only. */
  private int depth;
  private volatile boolean closed;
  private volatile @Nullable StoreException stopped;

  Lifecycle(long lastHeight) {
    this.lastHeight = lastHeight;
  }

  long lastHeight() {
    return lastHeight;
  }

  @Nullable BlockHeader current() {
    return current;
  }

  /**
   * Starts a call that may run outside a block: the calling thread must own the engine or take it
   * now, for the call. Pair with {@link #leave} in a {@code finally}.
   */
  void enter(String operation) {
    requireRunning(operation);
    take(operation);
  }

  /**
   * {@link #enter} for {@code close()}, which a stopped engine takes too, and from any thread:
   * once it stopped, every later call of its owner fails before it touches anything, so a
   * shutdown hook can close an engine whose writer is stuck in a block or died of the Error that
   * stopped it. (The call that stopped it may still be recording a rollback's abort in the log;
   * if the close wins, the next start finishes that rollback instead, a state it handles.)
   *
   * @return whether the call took the engine (then pair it with {@link #leave})
   */
  boolean enterToClose() {
    if (stopped != null && owner != Thread.currentThread()) {
      return false;
    }
    take("close");
    return true;
  }

  private void take(String operation) {
    Thread me = Thread.currentThread();
    if (owner != me && !OWNER.compareAndSet(this, (Thread) null, me)) {
      throw wrongThread(operation);
    }
    depth++;
  }

  /** Ends a call begun with {@link #enter}: outside a block, nobody owns the engine afterwards. */
  void leave() {
    if (--depth == 0 && current == null) {
      owner = null;
    }
  }

  /** For writes: owner thread, inside a block. */
  BlockHeader requireInBlock(String operation) {
    requireRunning(operation);
    BlockHeader block = current;
    Thread holder = owner; // read after current: begin sets the owner first
    if (holder != Thread.currentThread() && holder != null) {
      throw wrongThread(operation);
    }
    if (block == null || holder == null) {
      throw new LifecycleException(operation + " called outside a block; call beginBlock(header) "
          + "with height " + (lastHeight + 1) + " first");
    }
    return block;
  }

  private void requireRunning(String operation) {
    if (closed) {
      throw new LifecycleException(operation + " called after close()");
    }
    StoreException why = stopped;
    if (why != null) {
      throw new StoreException(operation + " refused: SDB stopped (" + why.getMessage()
          + "); restart it to recover", why);
    }
  }

  private WrongThreadException wrongThread(String operation) {
    Thread holder = owner;
    BlockHeader block = current; // (the owner may end its call or block meanwhile)
    return new WrongThreadException("Sdb is owned by '" + (holder == null ? "another thread"
        : holder.getName()) + "' until " + (block == null ? "its call" : "block "
        + block.height()) + " ends; " + operation + " called from '"
        + Thread.currentThread().getName() + "'");
  }

  /** Begins a block; call within {@link #enter}, whose thread keeps the engine until it ends. */
  void begin(BlockHeader header) {
    if (current != null) {
      throw new LifecycleException("beginBlock(" + header.height() + ") called while block "
          + current.height() + " is in progress; commit or roll it back first");
    }
    if (header.height() != lastHeight + 1) {
      throw new LifecycleException("beginBlock: invalid block height " + header.height()
          + ", expected " + (lastHeight + 1) + " (last committed height " + lastHeight + ")");
    }
    current = header;
  }

  /** The block in progress became height {@code lastHeight}. */
  void committed() {
    lastHeight = current.height();
    end();
  }

  /** No block is in progress any more; the owner lets go when its call ends. */
  void end() {
    current = null;
  }

  void rolledBackTo(long height) {
    lastHeight = height;
    end();
  }

  /** From now on every call but {@code close()} fails with {@code why}. */
  void stop(StoreException why) {
    stopped = why;
  }

  boolean isStopped() {
    return stopped != null;
  }

  /** Marks the engine closed; true for the one call that did. */
  synchronized boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }

  boolean isClosed() {
    return closed;
  }
}
