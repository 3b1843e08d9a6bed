package dev.sdb;

import org.jspecify.annotations.Nullable;

/**
 * The root of SDB's unchecked exceptions. Every subclass but one is thrown before any state
 * changes: after it, heights, locks, caches and pending changes are exactly as before the call.
 * The exception is {@link ListenerException}: a listener failed after the change was made, and
 * the change stands.
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
