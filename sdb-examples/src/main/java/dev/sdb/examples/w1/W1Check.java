package dev.sdb.examples.w1;

import dev.sdb.sql.Query;
import dev.sdb.sql.SdbReader;
import java.math.BigInteger;
import java.util.Map;

/**
 * W1's self-check, read straight from the database: row counts (Account A; Transfer and
 * Transaction {@link W1Options#committedTransfers()} each; blocks B-R+1), the sum of Account.gny
 * (A*10^15 minus the fee of every committed transfer in blocks 1..B-R), every account's balance
 * against {@link W1Expected}, and the rows step 4's reads returned against the transfers their
 * senders sent.
 */
final class W1Check {
  private W1Check() {}

  static String check(SdbReader reader, W1Options o, W1Expected expected, long readRows,
      long expectedReadRows) {
    long expectedRows = o.committedTransfers();
    long accounts = reader.count(W1Models.ACCOUNT, Map.of());
    long transfers = reader.count(W1Models.TRANSFER, Map.of());
    long transactions = reader.count(W1Models.TRANSACTION, Map.of());
    long blocks = reader.blocks(0, Long.MAX_VALUE / 2).size();
    BigInteger sum = BigInteger.ZERO;
    long wrongBalances = 0;
    for (Map<String, Object> a : reader.findAll(W1Models.ACCOUNT,
        Query.all().fields("address", "gny"))) {
      BigInteger gny = (BigInteger) a.get("gny");
      sum = sum.add(gny);
      if (!expected.holds((String) a.get("address"), gny)) {
        wrongBalances++;
      }
    }
    BigInteger expectedSum = W1SdbRun.expectedSum(o, expected.committedTransfers());
    boolean ok = accounts == o.accounts() && transfers == expectedRows
        && transactions == expectedRows && blocks == o.blocks() - o.rollback() + 1
        && sum.equals(expectedSum) && expected.committedTransfers() == expectedRows
        && wrongBalances == 0 && readRows == expectedReadRows;
    return (ok ? "OK" : "FAIL") + ": accounts " + accounts + "/" + o.accounts() + ", transfers "
        + transfers + "/" + expectedRows + ", transactions " + transactions + "/" + expectedRows
        + ", blocks " + blocks + "/" + (o.blocks() - o.rollback() + 1) + ", sum(gny) " + sum
        + (sum.equals(expectedSum) ? " = " : " != ") + expectedSum + ", balances "
        + (wrongBalances == 0 ? "all as expected" : wrongBalances + " wrong") + ", read rows "
        + readRows + "/" + expectedReadRows;
  }
}
