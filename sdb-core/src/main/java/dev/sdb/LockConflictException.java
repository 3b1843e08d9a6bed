package dev.sdb;

/** The lock name was already taken in this block. */
public class LockConflictException extends SdbException {
  private static final long serialVersionUID = 1L;

  public LockConflictException(String message) {
    super(message);
  }
}
