package dev.sdb;

/** A call does not fit the block/contract lifecycle: a write outside a block, a block at the wrong height, a commit without a begin, an open contract at commitBlock. */
public class LifecycleException extends SdbException {
  private static final long serialVersionUID = 1L;

  public LifecycleException(String message) {
    super(message);
  }
}
