package dev.sdb;

/** A value, change or key names a property the model does not have, or one that cannot be written (such as {@code _version_}). */
public class UnknownPropertyException extends SdbException {
  private static final long serialVersionUID = 1L;

  public UnknownPropertyException(String message) {
    super(message);
  }
}
