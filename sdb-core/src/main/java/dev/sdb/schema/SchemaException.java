package dev.sdb.schema;

/** A model declaration is invalid: the message names the model and column and says why. */
public class SchemaException extends dev.sdb.SdbException {
  private static final long serialVersionUID = 1L;

  public SchemaException(String message) {
    super(message);
  }
}
