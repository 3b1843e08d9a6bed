package dev.sdb;

import org.jspecify.annotations.Nullable;

/**
 * The store cannot tell whether a write it was committing took effect: the commit failed (a
 * connection dropped while its answer was on the way, say), and the database, asked again, does
 * not hold the work yet or cannot be asked. Not holding it yet proves nothing: a server may still
 * be committing what its client gave up on.
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
