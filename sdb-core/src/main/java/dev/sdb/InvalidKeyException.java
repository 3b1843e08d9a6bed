package dev.sdb;

/** A key is missing, incomplete, not a primary/composite/unique key of the model, or an update tried to change the primary key. */
public class InvalidKeyException extends SdbException {
  private static final long serialVersionUID = 1L;

  public InvalidKeyException(String message) {
    super(message);
  }
}
