package dev.sdb;

import org.jspecify.annotations.Nullable;

/**
 * The root of SDB's unchecked exceptions. Every subclass is thrown before any state changes: after
 * one is thrown, heights, locks, caches and pending changes are exactly as before the call.
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
