package dev.sdb;

/** A create or update would give two entities the same primary key or unique value, in memory or in the database. */
public class DuplicateKeyException extends SdbException {
  private static final long serialVersionUID = 1L;

  public DuplicateKeyException(String message) {
    super(message);
  }
}
