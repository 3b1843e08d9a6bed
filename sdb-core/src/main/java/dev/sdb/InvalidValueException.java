package dev.sdb;

/** A value has the wrong type, is too long, is null for a NOT NULL column, or an increase is not numeric or overflows. */
public class InvalidValueException extends SdbException {
  private static final long serialVersionUID = 1L;

  public InvalidValueException(String message) {
    super(message);
  }

  public InvalidValueException(String message, Throwable cause) {
    super(message, cause);
  }
}
