package dev.sdb;

import org.jspecify.annotations.Nullable;

/**
 * The store cannot tell whether a write it was committing took effect: the answer to the commit
 * was lost (a connection dropped at that moment, say) and asking the database again failed too.
 *
 * <p>After a flush in doubt the blocks stay queued; the next flush finds out which way it went
 * and writes only what the database lacks, and a rollback waits for that. After a rollback of
 * flushed blocks in doubt the engine stops: every call but {@code close()} fails, and the next
 * start completes the rollback from the write-ahead log (with the log off, it starts at whatever
 * block the database holds).
 */
public class StoreInDoubtException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreInDoubtException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
