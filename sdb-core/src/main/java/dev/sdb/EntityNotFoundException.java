package dev.sdb;

/** An update, increase or delete names an entity that does not exist (deleted entities included). */
public class EntityNotFoundException extends SdbException {
  private static final long serialVersionUID = 1L;

  public EntityNotFoundException(String message) {
    super(message);
  }
}
