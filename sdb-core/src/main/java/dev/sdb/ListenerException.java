package dev.sdb;

/**
 * A listener's {@link SdbListener#blockCommitted} or {@link SdbListener#rolledBack} threw. Unlike
 * every other {@link SdbException}, this one comes after the change: the block it reports is
 * committed, or the rollback done, and stays so. Do not retry or undo the call; fix or drop the
 * listener. The listener's exception is the cause; those of listeners told after it are
 * suppressed on this one. Every listener has been told.
 */
public final class ListenerException extends SdbException {
  private static final long serialVersionUID = 1L;

  ListenerException(String message, Throwable cause) {
    super(message, cause);
  }
}
