package dev.sdb.examples.node;

import static dev.sdb.examples.node.DemoChain.ACCOUNT;
import static dev.sdb.examples.node.DemoChain.TRANSACTION;
import static dev.sdb.examples.node.DemoChain.TRANSFER;

import dev.sdb.DuplicateKeyException;
import dev.sdb.Sdb;
import dev.sdb.examples.w1.W1Workload;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The demo chain's contracts, written the way a node's contract code calls SDB. Each runs inside a
 * contract (a savepoint) that the executor opened; when one throws, the executor calls {@link
 * Sdb#rollbackContract()}, which undoes every change and releases every lock the contract took,
 * so a failed transaction leaves no trace but its failure count.
 */
final class Contracts {
  /** Every transaction's fee: 0.1 GNY. */
  static final BigInteger FEE = W1Workload.FEE;

  static final int TYPE_TRANSFER = 0;
  static final int TYPE_SET_USER_NAME = 1;

  /** What every transaction has: its id, its sender and the block it is executed in. */
  record Tx(String id, String senderId, long height, long timestamp) {}

  private final Sdb sdb;
  private final Map<String, String> publicKeys = new HashMap<>();

  Contracts(Sdb sdb) {
    this.sdb = sdb;
  }

  /**
   * {@code basic.transfer}: locks {@code "basic.transfer@" + id}, takes amount + fee from the
   * sender, gives amount to the recipient, and records the Transfer and the Transaction.
   *
   * @throws ContractException if the sender's balance does not cover amount + fee
   */
  void transfer(Tx tx, String recipientId, BigInteger amount) {
    sdb.lock("basic.transfer@" + tx.id());
    pay(tx, amount.add(FEE));
    sdb.increase(ACCOUNT, Map.of("gny", amount), Map.of("address", recipientId));
    Map<String, Object> transfer = new HashMap<>();
    transfer.put("tid", tx.id());
    transfer.put("senderId", tx.senderId());
    transfer.put("recipientId", recipientId);
    transfer.put("recipientName", userName(recipientId));
    transfer.put("currency", "GNY");
    transfer.put("amount", amount);
    transfer.put("timestamp", tx.timestamp());
    transfer.put("height", tx.height());
    sdb.create(TRANSFER, transfer);
    transaction(tx, TYPE_TRANSFER, "[\"" + amount + "\",\"" + recipientId + "\"]");
  }

  /**
   * {@code basic.setUserName}: locks the account ({@code "basic.setUserName@" + address}), takes
   * the fee and sets the account's username, which can be set once.
   *
   * @throws ContractException if the account already has a username, or cannot pay the fee
   * @throws DuplicateKeyException if another account has the name (in memory or in the database)
   */
  void setUserName(Tx tx, String username) {
    sdb.lock("basic.setUserName@" + tx.senderId());
    String current = userName(tx.senderId());
    if (current != null) {
      throw new ContractException("username already set", "Account{address=" + tx.senderId()
          + "}: username is already '" + current + "', cannot set '" + username + "'");
    }
    pay(tx, FEE);
    sdb.update(ACCOUNT, Map.of("username", username), Map.of("address", tx.senderId()));
    transaction(tx, TYPE_SET_USER_NAME, "[\"" + username + "\"]");
  }

  private void pay(Tx tx, BigInteger cost) {
    Map<String, Object> left = sdb.increase(ACCOUNT, Map.of("gny", cost.negate()),
        Map.of("address", tx.senderId()));
    BigInteger balance = (BigInteger) left.get("gny");
    if (balance.signum() < 0) {
      throw new ContractException("insufficient balance", "Account{address=" + tx.senderId()
          + "}.gny: balance " + balance.add(cost) + " does not cover " + cost + " in transaction "
          + tx.id());
    }
  }

  private void transaction(Tx tx, int type, String args) {
    Map<String, Object> t = new HashMap<>();
    t.put("id", tx.id());
    t.put("type", type);
    t.put("timestamp", tx.timestamp());
    t.put("senderId", tx.senderId());
    t.put("senderPublicKey", publicKeys.computeIfAbsent(tx.senderId(),
        a -> W1Workload.sha256Hex("pk-" + a)));
    t.put("fee", FEE);
    t.put("args", args);
    t.put("message", "");
    t.put("signatures", "[\"" + W1Workload.signature(tx.id()) + "\"]");
    t.put("height", tx.height());
    sdb.create(TRANSACTION, t);
  }

  private @Nullable String userName(String address) {
    return sdb.get(ACCOUNT, Map.of("address", address))
        .map(a -> (String) a.get("username"))
        .orElse(null);
  }
}
