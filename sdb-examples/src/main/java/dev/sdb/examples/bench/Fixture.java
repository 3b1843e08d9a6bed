package dev.sdb.examples.bench;

import dev.sdb.BlockHeader;
import dev.sdb.Sdb;
import dev.sdb.examples.w1.Mulberry32;
import dev.sdb.examples.w1.W1Contract;
import dev.sdb.examples.w1.W1Models;
import dev.sdb.examples.w1.W1Transfer;
import dev.sdb.examples.w1.W1Workload;
import dev.sdb.schema.ModelSchema;
import dev.sdb.store.MemoryStateStore;
import java.util.ArrayList;
import java.util.List;

/**
 * What the benchmarks share: W1's sizes, an engine opened on a {@link MemoryStateStore} with the
 * genesis block flushed, W1's first {@value #CYCLE_BLOCKS} blocks, and the cycle restart.
 *
 * <p><b>Cycles.</b> A benchmark runs blocks 1..{@value #CYCLE_BLOCKS}, then {@link #restart}
 * replaces the engine by a new one at genesis, outside the measured time. Memory therefore stays
 * bounded (at most {@value #CYCLE_BLOCKS} unflushed blocks), the engine never reaches its queue
 * bound (so commitBlock never flushes inside the measured time), and every cycle starts from the
 * same state (the same balances, no transfers, key filters that know only the genesis keys). The
 * transaction ids are new in every cycle, and each block's transfers are {@link #decode}d just
 * before it runs, so that their strings are as a node's decoder leaves them.
 */
final class Fixture {
  /** A: accounts created at genesis. */
  static final int ACCOUNTS = 10_000;
  /** T: transfers (or single writes) per block. */
  static final int PER_BLOCK = 100;
  /** Blocks per cycle: W1's B. */
  static final int CYCLE_BLOCKS = 100;

  private Fixture() {}

  /** An engine over a new MemoryStateStore, manual flush, with W1's genesis block flushed. */
  static Sdb openWithGenesis(ModelSchema account) {
    Sdb sdb = Sdb.builder().schema(W1Models.schema(account)).store(new MemoryStateStore())
        .manualFlush().open();
    W1Contract.genesis(sdb, ACCOUNTS);
    sdb.flush();
    return sdb;
  }

  /** "memory" or "normal" (normal: a cache of {@code normalMaxCached} accounts). */
  static ModelSchema account(String model, int normalMaxCached) {
    return switch (model) {
      case "memory" -> W1Models.memoryAccount();
      case "normal" -> W1Models.normalAccount(normalMaxCached);
      default -> throw new IllegalArgumentException("accountModel must be memory or normal: "
          + model);
    };
  }

  /** Headers of blocks 0..CYCLE_BLOCKS, indexed by height. */
  static BlockHeader[] headers() {
    BlockHeader[] headers = new BlockHeader[CYCLE_BLOCKS + 1];
    for (int h = 0; h <= CYCLE_BLOCKS; h++) {
      headers[h] = W1Workload.blockHeader(h);
    }
    return headers;
  }

  /** W1's blocks 1..CYCLE_BLOCKS (index 0 is empty), from the W1 seed. */
  static List<List<W1Transfer>> w1Blocks() {
    W1Workload workload = new W1Workload(ACCOUNTS, Mulberry32.w1());
    List<List<W1Transfer>> blocks = new ArrayList<>();
    blocks.add(List.of());
    for (int h = 1; h <= CYCLE_BLOCKS; h++) {
      blocks.add(workload.nextBlock(h, PER_BLOCK));
    }
    return blocks;
  }

  /**
   * The transfers of cycle {@code cycle}: W1's own in the first, and from the second on the same
   * with new transaction ids (hex SHA-256 of {@code "tx-" + h + "-" + j + "/" + cycle}), because
   * a live chain never sees an id twice. Each block is {@link #decode}d before it runs.
   */
  static W1Transfer[][] cycle(List<List<W1Transfer>> blocks, int cycle) {
    W1Transfer[][] copy = new W1Transfer[blocks.size()][];
    for (int h = 0; h < blocks.size(); h++) {
      copy[h] = blocks.get(h).stream().map(t -> cycle == 0 ? t
              : new W1Transfer(t.height(), t.j(),
                  W1Workload.sha256Hex("tx-" + t.height() + "-" + t.j() + "/" + cycle),
                  t.senderId(), t.recipientId(), t.amount(), t.timestamp(), t.senderPublicKey(),
                  t.args(), t.signatures(), t.rolledBack()))
          .toArray(W1Transfer[]::new);
    }
    return copy;
  }

  /**
   * A block's transfers as a node has them when it runs the block: just decoded ({@link
   * W1Transfer#decoded}). Called outside the measured time before every block, so that a block's
   * strings are as fresh as a decoder leaves them, not made a whole cycle earlier.
   */
  static W1Transfer[] decode(W1Transfer[] block) {
    W1Transfer[] decoded = new W1Transfer[block.length];
    for (int i = 0; i < block.length; i++) {
      decoded[i] = block[i].decoded();
    }
    return decoded;
  }

  /**
   * Ends a cycle: the engine is closed and a new one opened on a new store with the genesis block.
   * Rolling the same engine back to genesis would leave its key filters holding every transaction
   * id of the earlier cycles (a filter never forgets a key), so each cycle would probe a larger
   * filter than W1's chain of {@value #CYCLE_BLOCKS} blocks has, while the baselines start each
   * cycle from empty maps.
   */
  static Sdb restart(Sdb sdb, ModelSchema account) {
    sdb.close();
    return openWithGenesis(account);
  }

  /** Transfers committed in blocks 1..lastHeight of the cycle. */
  static long committedTransfers(W1Transfer[][] blocks, int lastHeight) {
    long n = 0;
    for (int h = 1; h <= lastHeight; h++) {
      for (W1Transfer t : blocks[h]) {
        n += t.rolledBack() ? 0 : 1;
      }
    }
    return n;
  }
}
