package dev.sdb;

/** Undo found values other than those the change recorded: memory or the database was changed behind SDB's back. Nothing was changed by the failed undo step. */
public class StateDriftException extends SdbException {
  private static final long serialVersionUID = 1L;

  public StateDriftException(String message) {
    super(message);
  }
}
