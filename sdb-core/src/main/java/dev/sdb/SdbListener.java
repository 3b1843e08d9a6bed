package dev.sdb;

/**
 * Observes the engine. {@link #blockCommitted} and {@link #rolledBack} run on the writer thread
 * after the change is complete; {@link #flushed} runs on the thread that flushed. An exception
 * thrown by a listener propagates to the caller, but the change it observed stands.
 */
public interface SdbListener {
  /** A block was committed; its change set is immutable and may be kept. */
  default void blockCommitted(ChangeSet changeSet) {}

  /** Blocks above {@code toHeight} (up to {@code fromHeight}, the last one that existed) were undone. */
  default void rolledBack(long fromHeight, long toHeight) {}

  /** The store now holds every block up to {@code height}. */
  default void flushed(long height) {}
}
