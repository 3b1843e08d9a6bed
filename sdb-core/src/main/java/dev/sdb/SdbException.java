package dev.sdb;

import org.jspecify.annotations.Nullable;

/**
 * The root of SDB's unchecked exceptions. Every subclass is thrown before any state changes:
 * after it, heights, locks, entities and pending changes are exactly as before the call (a
 * normal model's cache may have read rows from the store, equal to the store's). Two cases
 * report a failure after a change that stands: a {@link ListenerException} (a listener failed
 * once the block was committed or the rollback done), and the {@link StoreException} of a
 * {@code rollbackBlock} whose rollback happened but whose closing log record failed.
 */
public class SdbException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SdbException(String message) {
    super(message);
  }

  public SdbException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
