package dev.sdb.examples.bench;

import dev.sdb.examples.w1.W1Transfer;
import dev.sdb.examples.w1.W1Workload;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the bare-HashMap baselines share: W1's blocks in the cycles of {@link Fixture}, the lock
 * set cleared after each block, and the final check. A subclass keeps the rows and runs one
 * transfer, undoing it by hand when the transfer is one that W1 rolls back.
 */
abstract class BareW1Chain {
  private final Set<String> locks = new HashSet<>();
  private final List<List<W1Transfer>> generated = Fixture.w1Blocks();
  private int cycle;
  private W1Transfer[][] blocks = Fixture.cycle(generated, 0);
  /** The block that runs next, decoded. */
  private W1Transfer[] block = new W1Transfer[0];
  private int height = 1;

  /** Outside the measured time: at the end of a cycle, back to genesis. */
  final void prepareBlock() {
    if (height > Fixture.CYCLE_BLOCKS) {
      resetToGenesis();
      blocks = Fixture.cycle(generated, ++cycle);
      height = 1;
    }
    block = Fixture.decode(blocks[height]);
  }

  /** One block: its transfers, then the locks are released. */
  final int block() {
    int committed = 0;
    for (W1Transfer t : block) {
      committed += transfer(t) ? 1 : 0;
    }
    locks.clear();
    height++;
    return committed;
  }

  /** Takes the transfer's lock name; a second take in one block is an error, as in SDB. */
  final String lock(W1Transfer t) {
    String lock = "basic.transfer@" + t.id();
    if (!locks.add(lock)) {
      throw new IllegalStateException("lock '" + lock + "' is already held");
    }
    return lock;
  }

  final void unlock(String lock) {
    locks.remove(lock);
  }

  /** @return whether the transfer was committed (W1 rolls back every 50th) */
  abstract boolean transfer(W1Transfer t);

  /** Every balance back to genesis, no transfers and no transactions. */
  abstract void resetToGenesis();

  abstract BigInteger totalBalance();

  abstract int transferCount();

  abstract int transactionCount();

  /** Checks the balances and row counts of the cycle so far. */
  final void verify() {
    long committed = Fixture.committedTransfers(blocks, height - 1);
    BigInteger expected = W1Workload.GENESIS_BALANCE.multiply(BigInteger.valueOf(Fixture.ACCOUNTS))
        .subtract(W1Workload.FEE.multiply(BigInteger.valueOf(committed)));
    BigInteger actual = totalBalance();
    if (!actual.equals(expected) || transferCount() != committed
        || transactionCount() != committed) {
      throw new IllegalStateException(getClass().getSimpleName() + ": sum of gny " + actual
          + " (expected " + expected + "), " + transferCount() + " transfers and "
          + transactionCount() + " transactions (expected " + committed + ") after block "
          + (height - 1));
    }
  }
}
