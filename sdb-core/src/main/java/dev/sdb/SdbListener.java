package dev.sdb;

/**
 * Observes the engine. {@link #blockCommitted} and {@link #rolledBack} run on the writer thread
 * after the change is complete; {@link #flushed} runs on the thread that flushed. An exception
 * thrown by {@code blockCommitted} or {@code rolledBack} reaches the caller once every listener
 * has been told, as a {@link ListenerException} (its cause the listener's exception; suppressed on
 * the call's own exception if the call failed too), and the change it observed stands; one thrown
 * by {@code flushed} is logged.
 */
public interface SdbListener {
  /** A block was committed; its change set is immutable and may be kept. */
  default void blockCommitted(ChangeSet changeSet) {}

  /** Blocks above {@code toHeight} (up to {@code fromHeight}, the last one that existed) were undone. */
  default void rolledBack(long fromHeight, long toHeight) {}

  /**
   * The store now holds every block up to {@code height}. Called on the thread that flushed (often
   * the flusher's), while it holds the flush lock: it must not wait for the writer thread, which
   * may itself be waiting for that lock. An exception is logged, not passed on.
   */
  default void flushed(long height) {}
}
