package dev.sdb.examples.bench;

import dev.sdb.BlockHeader;
import dev.sdb.Sdb;
import dev.sdb.examples.w1.W1Contract;
import dev.sdb.examples.w1.W1Models;
import dev.sdb.examples.w1.W1Transfer;
import dev.sdb.examples.w1.W1Workload;
import dev.sdb.schema.ModelSchema;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** W1's transfer blocks on SDB, in cycles of {@value Fixture#CYCLE_BLOCKS} blocks. */
final class SdbW1Chain implements AutoCloseable {
  private final ModelSchema account;
  private Sdb sdb;
  private final BlockHeader[] headers = Fixture.headers();
  private final List<List<W1Transfer>> generated = Fixture.w1Blocks();
  private int cycle;
  private W1Transfer[][] blocks = Fixture.cycle(generated, 0);
  /** The block that runs next, decoded. */
  private W1Transfer[] block = new W1Transfer[0];
  private int height = 1;

  SdbW1Chain(ModelSchema account) {
    this.account = account;
    this.sdb = Fixture.openWithGenesis(account);
  }

  /** Outside the measured time: at the end of a cycle, restart it. */
  void prepareBlock() {
    if (height > Fixture.CYCLE_BLOCKS) {
      sdb = Fixture.restart(sdb, account);
      blocks = Fixture.cycle(generated, ++cycle);
      height = 1;
    }
    block = Fixture.decode(blocks[height]);
  }

  /** One block: beginBlock, its transfers, commitBlock. */
  long block() {
    beginBlockAndTransfer();
    return commitBlock();
  }

  void beginBlockAndTransfer() {
    sdb.beginBlock(headers[height]);
    for (W1Transfer t : block) {
      W1Contract.transfer(sdb, t);
    }
  }

  long commitBlock() {
    long committed = sdb.commitBlock();
    height++;
    return committed;
  }

  /**
   * Checks the balances (A * 10^15 minus the fees of the transfers committed in this cycle) and
   * that exactly the committed transfers have a Transfer and a Transaction.
   */
  void verify() {
    BigInteger expected = W1Workload.GENESIS_BALANCE.multiply(BigInteger.valueOf(Fixture.ACCOUNTS))
        .subtract(W1Workload.FEE.multiply(
            BigInteger.valueOf(Fixture.committedTransfers(blocks, height - 1))));
    BigInteger actual = W1Contract.totalBalance(sdb, Fixture.ACCOUNTS);
    if (!actual.equals(expected)) {
      throw new IllegalStateException("SDB: sum of Account.gny is " + actual + ", expected "
          + expected + " after block " + (height - 1) + " of the cycle");
    }
    for (int h = 1; h < height; h++) {
      for (W1Transfer t : blocks[h]) {
        if (sdb.has(W1Models.TRANSFER, Map.of("tid", t.id())) == t.rolledBack()
            || sdb.has(W1Models.TRANSACTION, Map.of("id", t.id())) == t.rolledBack()) {
          throw new IllegalStateException("SDB: transfer " + t.id() + " of block " + h
              + (t.rolledBack() ? " was rolled back but exists" : " is missing"));
        }
      }
    }
  }

  @Override
  public void close() {
    sdb.close();
  }
}
