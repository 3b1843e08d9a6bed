package dev.sdb.examples.w1;

import dev.sdb.sql.Query;
import dev.sdb.sql.SdbReader;
import java.math.BigInteger;
import java.util.Map;

/**
 * W1's self-check, read straight from the database: row counts (Account A; Transfer and
 * Transaction {@link W1Options#committedTransfers()} each; blocks B-R+1) and the sum of Account.gny, which must be
 * A*10^15 minus the fee of every committed transfer in blocks 1..B-R.
 */
final class W1Check {
  private W1Check() {}

  static String check(SdbReader reader, W1Options o, long committedTransfers) {
    long expectedRows = o.committedTransfers();
    long accounts = reader.count(W1Models.ACCOUNT, Map.of());
    long transfers = reader.count(W1Models.TRANSFER, Map.of());
    long transactions = reader.count(W1Models.TRANSACTION, Map.of());
    long blocks = reader.blocks(0, Long.MAX_VALUE / 2).size();
    BigInteger sum = BigInteger.ZERO;
    for (Map<String, Object> a : reader.findAll(W1Models.ACCOUNT, Query.all().fields("gny"))) {
      sum = sum.add((BigInteger) a.get("gny"));
    }
    BigInteger expectedSum = W1SdbRun.expectedSum(o, committedTransfers);
    boolean ok = accounts == o.accounts() && transfers == expectedRows
        && transactions == expectedRows && blocks == o.blocks() - o.rollback() + 1
        && sum.equals(expectedSum) && committedTransfers == expectedRows;
    return (ok ? "OK" : "FAIL") + ": accounts " + accounts + "/" + o.accounts() + ", transfers "
        + transfers + "/" + expectedRows + ", transactions " + transactions + "/" + expectedRows
        + ", blocks " + blocks + "/" + (o.blocks() - o.rollback() + 1) + ", sum(gny) " + sum
        + (sum.equals(expectedSum) ? " = " : " != ") + expectedSum;
  }
}
