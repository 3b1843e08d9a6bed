package dev.sdb.examples.node;

/**
 * A contract refused a transaction for a reason of the chain's own rules (not SDB's), such as an
 * insufficient balance. The executor rolls the contract back, as for any SDB exception.
 */
final class ContractException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  /**
   * @param reason a short category for counting ("insufficient balance")
   * @param message the full message, naming the account and amounts
   */
  ContractException(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
