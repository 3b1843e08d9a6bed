package dev.sdb;

/** {@code get} or {@code getAll} was called on a normal model; those read memory models only. */
public class NotAMemoryModelException extends SdbException {
  private static final long serialVersionUID = 1L;

  public NotAMemoryModelException(String message) {
    super(message);
  }
}
