package dev.sdb;

/**
 * A listener's {@link SdbListener#blockCommitted} or {@link SdbListener#rolledBack} threw. Unlike
 * most {@link SdbException}s, this one comes after the change: the block it reports is committed,
 * or the rollback done, and stays so. Do not retry or undo the call; fix or drop the listener.
 * The first failing listener's exception is the cause; those of listeners told after it are
 * suppressed on this one, and every listener has been told (an {@link Error} is not caught). If
 * the call itself failed too (a rollback whose closing log record failed), the caller gets that
 * {@link StoreException}, with this one suppressed on it.
 */
public final class ListenerException extends SdbException {
  private static final long serialVersionUID = 1L;

  ListenerException(String message, Throwable cause) {
    super(message, cause);
  }
}
