package dev.sdb.examples.w1;

import dev.sdb.Sdb;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * W1's state changes written against {@link Sdb}'s map API, as a node's contract code would call
 * it: the genesis block and the transfer contract of step 2.
 */
public final class W1Contract {
  private W1Contract() {}

  /**
   * Block 0: creates accounts 0..A-1, each {@code {address, gny: 10^15}}, commits the block and
   * returns its height (0). The caller decides when to flush.
   */
  public static long genesis(Sdb sdb, int accounts) {
    sdb.beginBlock(W1Workload.blockHeader(0));
    for (int s = 0; s < accounts; s++) {
      sdb.create(W1Models.ACCOUNT,
          Map.of("address", W1Workload.address(s), "gny", W1Workload.GENESIS_BALANCE));
    }
    return sdb.commitBlock();
  }

  /**
   * One transfer, in the block in progress: beginContract; lock {@code "basic.transfer@" + id};
   * increase the sender by -(amount + fee) and the recipient by amount; create the Transfer and
   * the Transaction; then commitContract, or rollbackContract if the transfer says so.
   *
   * @return whether the contract was committed
   */
  public static boolean transfer(Sdb sdb, W1Transfer t) {
    BigInteger amount = t.amount();
    sdb.beginContract();
    sdb.lock("basic.transfer@" + t.id());
    sdb.increase(W1Models.ACCOUNT, Map.of("gny", amount.add(W1Workload.FEE).negate()),
        Map.of("address", t.senderId()));
    sdb.increase(W1Models.ACCOUNT, Map.of("gny", amount), Map.of("address", t.recipientId()));
    sdb.create(W1Models.TRANSFER, Map.of(
        "tid", t.id(),
        "senderId", t.senderId(),
        "recipientId", t.recipientId(),
        "currency", "GNY",
        "amount", amount,
        "timestamp", t.timestamp(),
        "height", t.height()));
    sdb.create(W1Models.TRANSACTION, Map.of(
        "id", t.id(),
        "type", 0,
        "timestamp", t.timestamp(),
        "fee", W1Workload.FEE,
        "senderId", t.senderId(),
        "senderPublicKey", t.senderPublicKey(),
        "args", t.args(),
        "message", "",
        "signatures", t.signatures(),
        "height", t.height()));
    if (t.rolledBack()) {
      sdb.rollbackContract();
      return false;
    }
    sdb.commitContract();
    return true;
  }

  /** The sum of accounts 0..A-1's gny, loaded one by one (memory or normal Account model). */
  public static BigInteger totalBalance(Sdb sdb, int accounts) {
    BigInteger sum = BigInteger.ZERO;
    Map<String, Object> key = new HashMap<>();
    for (int s = 0; s < accounts; s++) {
      key.put("address", W1Workload.address(s));
      sum = sum.add((BigInteger) sdb.load(W1Models.ACCOUNT, key).orElseThrow().get("gny"));
    }
    return sum;
  }
}
