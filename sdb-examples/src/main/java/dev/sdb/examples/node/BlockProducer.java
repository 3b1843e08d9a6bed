package dev.sdb.examples.node;

import static dev.sdb.examples.node.DemoChain.ACCOUNT;
import static dev.sdb.examples.node.DemoChain.ROUND;

import dev.sdb.BlockHeader;
import dev.sdb.DuplicateKeyException;
import dev.sdb.LockConflictException;
import dev.sdb.Sdb;
import dev.sdb.examples.node.Contracts.Tx;
import dev.sdb.examples.w1.Mulberry32;
import dev.sdb.examples.w1.W1Workload;
import dev.sdb.sql.SdbReader;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * The node's block producer and contract executor. It runs on the writer thread, the only thread
 * that calls {@link Sdb}.
 *
 * <p><b>Blocks.</b> A block holds {@value #TRANSACTIONS_PER_BLOCK} transactions from random
 * accounts: transfers, and now and then a {@code basic.setUserName}. Each runs in its own contract:
 * {@code beginContract}, the contract, {@code commitContract}; when the contract throws, {@code
 * rollbackContract} undoes its changes and locks and the failure is counted. Some are meant to
 * fail: a few transfers spend more than the sender has, and user names come from a pool that fills
 * up, so names get taken. After the transactions the block's Round row is created or loaded and
 * increased, outside any contract, and the block is committed.
 *
 * <p><b>Forks.</b> Before a block, now and then, the producer switches to a "better chain": it rolls
 * back 1 to {@value #MAX_FORK_DEPTH} blocks with {@link Sdb#rollbackBlock(long)}, whether they were
 * flushed or not, and goes on from there with different blocks.
 *
 * <p><b>Ids.</b> A block's id is the SHA-256 of the previous id, the height and a random number, so
 * a block produced after a fork never repeats an id; transaction ids derive from the block id.
 */
final class BlockProducer {
  static final int GENESIS_ACCOUNTS = 1_000;
  static final int TRANSACTIONS_PER_BLOCK = 100;
  static final int MAX_FORK_DEPTH = 5;
  static final String GENESIS_ID = W1Workload.sha256Hex("sdb-demo-genesis");

  private static final double FORK_CHANCE = 0.01;
  private static final double SET_USER_NAME_CHANCE = 0.03;
  private static final double OVERDRAW_CHANCE = 0.02;

  private final Sdb sdb;
  private final Contracts contracts;
  private final Mulberry32 random;
  private final Totals totals;
  private final List<String> addresses;
  /** The last blocks, newest last: the head, and the blocks a fork may go back to. */
  private final ArrayDeque<BlockHeader> recent;

  private BlockProducer(Sdb sdb, Mulberry32 random, Totals totals, List<String> addresses,
      List<BlockHeader> recent) {
    this.sdb = sdb;
    this.contracts = new Contracts(sdb);
    this.random = random;
    this.totals = totals;
    this.addresses = addresses;
    this.recent = new ArrayDeque<>(recent);
  }

  /**
   * Creates the genesis block on an empty database, writes every committed block to the
   * database, and returns a producer positioned at the engine's last block.
   */
  static BlockProducer start(Sdb sdb, SdbReader reader, Mulberry32 random, Totals totals) {
    if (sdb.lastHeight() < 0) {
      genesis(sdb);
    }
    sdb.flush();
    long head = sdb.lastHeight();
    List<BlockHeader> recent = reader.blocks(Math.max(0, head - MAX_FORK_DEPTH), head);
    if (recent.isEmpty() || recent.get(recent.size() - 1).height() != head) {
      throw new IllegalStateException("the engine is at height " + head + " but the database's "
          + "last block is " + reader.flushedHeight() + " after a flush");
    }
    List<String> addresses = sdb.getAll(ACCOUNT).stream()
        .map(a -> (String) a.get("address")).toList();
    if (addresses.size() < 2) {
      throw new IllegalStateException("the database has " + addresses.size() + " accounts; the "
          + "demo needs at least 2 (use an empty database to start a new chain)");
    }
    return new BlockProducer(sdb, random, totals, addresses, recent);
  }

  private static void genesis(Sdb sdb) {
    sdb.beginBlock(new BlockHeader(0, GENESIS_ID, null, System.currentTimeMillis(),
        Map.of("accounts", GENESIS_ACCOUNTS)));
    for (int i = 0; i < GENESIS_ACCOUNTS; i++) {
      sdb.create(ACCOUNT, Map.of("address", W1Workload.address(i),
          "gny", W1Workload.GENESIS_BALANCE));
    }
    sdb.commitBlock();
  }

  int accounts() {
    return addresses.size();
  }

  /** Now and then forks; then produces and commits one block. */
  void next() {
    if (recent.size() > 1 && random.next() < FORK_CHANCE) {
      fork();
    }
    produce();
  }

  private void fork() {
    int depth = 1 + random.nextInt(Math.min(MAX_FORK_DEPTH, recent.size() - 1));
    sdb.rollbackBlock(sdb.lastHeight() - depth);
    for (int i = 0; i < depth; i++) {
      recent.removeLast();
    }
    totals.forked(depth);
  }

  private void produce() {
    BlockHeader prev = recent.getLast();
    long height = prev.height() + 1;
    long now = System.currentTimeMillis();
    String id = W1Workload.sha256Hex(prev.id() + "/" + height + "/" + random.next());
    long round = DemoChain.roundOf(height);
    BlockHeader header = new BlockHeader(height, id, prev.id(), now,
        Map.of("delegate", pick(), "round", round));
    sdb.beginBlock(header);
    int executed = 0;
    for (int j = 0; j < TRANSACTIONS_PER_BLOCK; j++) {
      if (execute(new Tx(W1Workload.sha256Hex(id + "/" + j), pick(), height, now))) {
        executed++;
      }
    }
    sdb.createOrLoad(ROUND, Map.of("round", round));
    sdb.increase(ROUND, Map.of("blocks", 1, "transactions", executed,
        "fees", Contracts.FEE.multiply(BigInteger.valueOf(executed))), Map.of("round", round));
    sdb.commitBlock();
    recent.addLast(header);
    if (recent.size() > MAX_FORK_DEPTH + 1) {
      recent.removeFirst();
    }
    totals.blocks++;
  }

  /** Runs one transaction in its own contract; returns whether it was committed. */
  private boolean execute(Tx tx) {
    boolean setUserName = random.next() < SET_USER_NAME_CHANCE;
    sdb.beginContract();
    try {
      if (setUserName) {
        contracts.setUserName(tx, "user" + random.nextInt(addresses.size()));
      } else {
        String recipient = pickOther(tx.senderId());
        contracts.transfer(tx, recipient, amount(tx.senderId()));
      }
      sdb.commitContract();
    } catch (ContractException e) {
      return failed(e.reason());
    } catch (DuplicateKeyException e) {
      return failed(setUserName ? "username taken" : "duplicate key");
    } catch (LockConflictException e) {
      return failed(setUserName ? "account locked" : "transaction locked");
    }
    if (setUserName) {
      totals.userNames++;
    } else {
      totals.transfers++;
    }
    return true;
  }

  private boolean failed(String reason) {
    sdb.rollbackContract();
    totals.failed(reason);
    return false;
  }

  /** Usually 1 to 1,000,000; now and then more than the sender has. */
  private BigInteger amount(String sender) {
    if (random.next() < OVERDRAW_CHANCE) {
      BigInteger balance = (BigInteger) sdb.get(ACCOUNT, Map.of("address", sender))
          .orElseThrow().get("gny");
      return balance.add(BigInteger.ONE);
    }
    return BigInteger.valueOf(1 + random.nextInt(1_000_000));
  }

  private String pick() {
    return addresses.get(random.nextInt(addresses.size()));
  }

  private String pickOther(String address) {
    String other = pick();
    return other.equals(address) ? addresses.get((addresses.indexOf(address) + 1)
        % addresses.size()) : other;
  }
}
