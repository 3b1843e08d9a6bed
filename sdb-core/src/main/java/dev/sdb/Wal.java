package dev.sdb;

import java.util.List;

/**
 * The write-ahead log of committed blocks: what makes a committed block survive a crash before it
 * is flushed. {@link #disabled()} is the null object used when the log is switched off.
 */
interface Wal extends AutoCloseable {
  /** Appends a committed block; returns when it is as durable as the fsync policy promises. */
  void append(ChangeSet block);

  /** Records that every block above {@code height} is being rolled back. */
  void rollingBack(long height);

  /** Records that the rollback recorded last is complete. */
  void rollbackDone();

  /** Records that the rollback recorded last did not happen (the store refused it). */
  void rollbackAborted();

  /**
   * Forces every record written so far to the disk, whatever the fsync policy: the engine calls it
   * before it changes the store (a flush, a rollback of flushed blocks), so that after a power loss
   * the store is never ahead of the log, on another fork or past a rollback the log lost.
   */
  void force();

  /** The store holds every block up to {@code height}: segments holding only those can go. */
  void flushedTo(long height);

  @Override
  void close();

  /** What start-up must do: revert the store first if needed, then replay these blocks. */
  record Recovery(long revertStoreTo, List<ChangeSet> blocks) {
    static final long NO_REVERT = Long.MAX_VALUE;
  }

  static Wal disabled() {
    return Disabled.INSTANCE;
  }

  /** The log switched off: nothing is written, nothing survives a crash beyond the last flush. */
  enum Disabled implements Wal {
    INSTANCE;

    @Override
    public void append(ChangeSet block) {}

    @Override
    public void rollingBack(long height) {}

    @Override
    public void rollbackDone() {}

    @Override
    public void rollbackAborted() {}

    @Override
    public void force() {}

    @Override
    public void flushedTo(long height) {}

    @Override
    public void close() {}
  }
}
