package dev.sdb.examples.w1;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * What W1's database must hold after step 4, worked out on plain arrays from the generated
 * transfers that stay in the chain (blocks 1..B-R, without their rolled-back contracts): every
 * account's balance, and how many transfers each account sent. The self-check compares the
 * database with it row by row, so that a transfer booked to the wrong account fails it, not only
 * a wrong total.
 */
final class W1Expected {
  private final BigInteger[] balances;
  private final int[] sent;
  private long committed;

  W1Expected(int accounts) {
    balances = new BigInteger[accounts];
    Arrays.fill(balances, W1Workload.GENESIS_BALANCE);
    sent = new int[accounts];
  }

  /** Books a block that stays in the chain. */
  void add(Iterable<W1Transfer> block) {
    for (W1Transfer t : block) {
      if (!t.rolledBack()) {
        int s = W1Workload.account(t.senderId());
        int r = W1Workload.account(t.recipientId());
        balances[s] = balances[s].subtract(t.amount().add(W1Workload.FEE));
        balances[r] = balances[r].add(t.amount());
        sent[s]++;
        committed++;
      }
    }
  }

  long committedTransfers() {
    return committed;
  }

  /** Whether a stored account row holds its expected balance. */
  boolean holds(String address, BigInteger gny) {
    return gny.equals(balances[W1Workload.account(address)]);
  }

  /** Transfers account {@code s} sent: the rows {@code findAll(Transfer, senderId = s)} returns. */
  int sentBy(int s) {
    return sent[s];
  }
}
