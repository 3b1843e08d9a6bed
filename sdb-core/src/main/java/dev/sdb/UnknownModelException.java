package dev.sdb;

/** The model name (or class) is not part of the schema. */
public class UnknownModelException extends SdbException {
  private static final long serialVersionUID = 1L;

  public UnknownModelException(String message) {
    super(message);
  }
}
