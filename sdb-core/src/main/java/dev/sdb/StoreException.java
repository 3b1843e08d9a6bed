package dev.sdb;

import org.jspecify.annotations.Nullable;

/** The store (database) failed; the message says what SDB was doing, the cause says why. */
public class StoreException extends SdbException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
