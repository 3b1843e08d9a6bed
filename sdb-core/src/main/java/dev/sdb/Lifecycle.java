package dev.sdb;

import org.jspecify.annotations.Nullable;

/**
 * The lifecycle rules in one place: IDLE → IN_BLOCK → IN_CONTRACT(depth) → ..., the height, and
 * which thread may call. Every public call of {@link Sdb} passes through one of the
 * {@code require} methods before it touches anything.
 *
 * <p>The thread that begins a block owns the engine until the block is committed or rolled back;
 * any other thread's call is refused with {@link WrongThreadException}. Between blocks the engine
 * has no owner, so a node may hand its executor to another thread between blocks.
 */
final class Lifecycle {
  private long lastHeight;
  // Volatile: another thread's call must see who owns the engine (two writes per block).
  private volatile @Nullable BlockHeader current;
  private volatile @Nullable Thread owner;
  private volatile boolean closed;

  Lifecycle(long lastHeight) {
    this.lastHeight = lastHeight;
  }

  long lastHeight() {
    return lastHeight;
  }

  @Nullable BlockHeader current() {
    return current;
  }

  /** For reads and other calls that are fine outside a block. */
  void requireCaller(String operation) {
    if (closed) {
      throw new LifecycleException(operation + " called after close()");
    }
    Thread owner = this.owner;
    if (owner != null && owner != Thread.currentThread()) {
      BlockHeader block = current; // (the owner may end its block meanwhile)
      throw new WrongThreadException("Sdb is owned by '" + owner.getName() + "' until "
          + (block == null ? "its block" : "block " + block.height()) + " ends; " + operation
          + " called from '" + Thread.currentThread().getName() + "'");
    }
  }

  /** For writes: owner thread, inside a block. */
  BlockHeader requireInBlock(String operation) {
    requireCaller(operation);
    if (current == null) {
      throw new LifecycleException(operation + " called outside a block; call beginBlock(header) "
          + "with height " + (lastHeight + 1) + " first");
    }
    return current;
  }

  void begin(BlockHeader header) {
    requireCaller("beginBlock");
    if (current != null) {
      throw new LifecycleException("beginBlock(" + header.height() + ") called while block "
          + current.height() + " is in progress; commit or roll it back first");
    }
    if (header.height() != lastHeight + 1) {
      throw new LifecycleException("beginBlock: invalid block height " + header.height()
          + ", expected " + (lastHeight + 1) + " (last committed height " + lastHeight + ")");
    }
    current = header;
    owner = Thread.currentThread();
  }

  /** The block in progress became height {@code lastHeight}. */
  void committed() {
    lastHeight = current.height();
    end();
  }

  void end() {
    current = null;
    owner = null;
  }

  void rolledBackTo(long height) {
    lastHeight = height;
    end();
  }

  void close() {
    closed = true;
  }

  boolean isClosed() {
    return closed;
  }
}
