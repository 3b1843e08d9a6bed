package dev.sdb.examples.node;

import dev.sdb.examples.w1.W1Models;
import dev.sdb.schema.ColumnType;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;

/**
 * The demo chain's models: W1's three ({@link W1Models}) and a Round.
 *
 * <ul>
 *   <li>Account, a <b>memory</b> model: address (primary key), username (unique, nullable), gny
 *       (big integer), isDelegate;
 *   <li>Transfer and Transaction, <b>normal</b> models (bounded cache), one row per executed
 *       transfer or transaction;
 *   <li>Round, a <b>normal</b> model: one row per round of {@value #BLOCKS_PER_ROUND} blocks, with
 *       the number of blocks and transactions and the fees collected in it.
 * </ul>
 */
final class DemoChain {
  static final String ACCOUNT = W1Models.ACCOUNT;
  static final String TRANSFER = W1Models.TRANSFER;
  static final String TRANSACTION = W1Models.TRANSACTION;
  static final String ROUND = "Round";

  static final int BLOCKS_PER_ROUND = 101;

  private DemoChain() {}

  static Schema schema() {
    return Schema.builder()
        .model(W1Models.memoryAccount())
        .model(W1Models.transfer())
        .model(W1Models.transaction())
        .model(round())
        .build();
  }

  static ModelSchema round() {
    return ModelSchema.builder(ROUND)
        .column("round", ColumnType.LONG)
        .column("blocks", ColumnType.INT).defaultValue(0)
        .column("transactions", ColumnType.LONG).defaultValue(0)
        .column("fees", ColumnType.BIG_INTEGER).defaultValue(0)
        .primaryKey("round")
        .maxCached(1_000)
        .build();
  }

  /** The round block {@code height} belongs to: genesis and the next 100 blocks are round 1. */
  static long roundOf(long height) {
    return height / BLOCKS_PER_ROUND + 1;
  }
}
