package dev.sdb.sql;

import dev.sdb.SdbException;

/** {@link SdbReader#findOne} matched more than one row. */
public class TooManyRowsException extends SdbException {
  private static final long serialVersionUID = 1L;

  public TooManyRowsException(String message) {
    super(message);
  }
}
