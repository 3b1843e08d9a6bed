package dev.sdb.examples.bench;

import dev.sdb.BlockHeader;
import dev.sdb.Sdb;
import dev.sdb.examples.w1.Mulberry32;
import dev.sdb.examples.w1.W1Models;
import dev.sdb.examples.w1.W1Transfer;
import dev.sdb.examples.w1.W1Workload;
import dev.sdb.schema.ModelSchema;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single writes through SDB's map API, outside contracts: update and increase of an Account that
 * is in memory (memory model, or normal model whose cache holds all A accounts), and create of a
 * Transfer (normal model). One invocation is one block of {@value Fixture#PER_BLOCK} writes with
 * its beginBlock and commitBlock, so each score is writes per second including 1/100 of a block's
 * begin and commit. Accounts are drawn at random (W1's seed) from the A = 10,000 created at
 * genesis; keys and values are computed before the run, and each block's are decoded just before
 * it runs. Cycles as in {@link Fixture}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class SdbOpsBenchmark {
  private static final int CYCLE_WRITES = Fixture.CYCLE_BLOCKS * Fixture.PER_BLOCK;

  /** Blocks 1..CYCLE_BLOCKS of single writes; at the end of a cycle, back to genesis. */
  abstract static class Cycle {
    Sdb sdb;
    ModelSchema account;
    final BlockHeader[] headers = Fixture.headers();
    int height = 1;

    void open(ModelSchema accountModel) {
      this.account = accountModel;
      this.sdb = Fixture.openWithGenesis(accountModel);
      newCycle();
    }

    /** At the start of each cycle. */
    void newCycle() {}

    /** Before each block: its keys and values as a node's decoder leaves them (see Fixture). */
    abstract void decodeBlock();

    /** Outside the measured time, before each block. */
    void prepareBlock() {
      if (height > Fixture.CYCLE_BLOCKS) {
        sdb = Fixture.restart(sdb, account);
        newCycle();
        height = 1;
      }
      decodeBlock();
    }

    /** Index of the block's first write in the cycle's arrays. */
    int begin() {
      sdb.beginBlock(headers[height]);
      return (height - 1) * Fixture.PER_BLOCK;
    }

    long commit() {
      height++;
      return sdb.commitBlock();
    }
  }

  @State(Scope.Thread)
  public static class Accounts extends Cycle {
    /** memory: memory model; normal: normal model with a cache of all A accounts. */
    @Param({"memory", "normal"})
    public String accountModel;

    final String[] generated = new String[CYCLE_WRITES];
    final String[] addresses = new String[CYCLE_WRITES];
    final BigInteger[] amounts = new BigInteger[CYCLE_WRITES];

    @Setup(Level.Trial)
    public void open() {
      Mulberry32 random = Mulberry32.w1();
      for (int i = 0; i < CYCLE_WRITES; i++) {
        generated[i] = W1Workload.address(random.nextInt(Fixture.ACCOUNTS));
        // distinct values, so that every update changes the row
        amounts[i] = BigInteger.valueOf(1 + i);
      }
      open(Fixture.account(accountModel, Fixture.ACCOUNTS));
    }

    @Setup(Level.Invocation)
    public void prepare() {
      prepareBlock();
    }

    @Override
    void decodeBlock() {
      int first = (height - 1) * Fixture.PER_BLOCK;
      for (int i = first; i < first + Fixture.PER_BLOCK; i++) {
        addresses[i] = W1Transfer.decode(generated[i]);
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      sdb.close();
    }
  }

  @State(Scope.Thread)
  public static class Transfers extends Cycle {
    final List<List<W1Transfer>> generated = Fixture.w1Blocks();
    int cycle = -1;
    W1Transfer[][] blocks;
    /** The block that runs next, decoded. */
    W1Transfer[] block;

    @Setup(Level.Trial)
    public void open() {
      open(W1Models.memoryAccount());
    }

    @Override
    void newCycle() {
      blocks = Fixture.cycle(generated, ++cycle);
    }

    @Setup(Level.Invocation)
    public void prepare() {
      prepareBlock();
    }

    @Override
    void decodeBlock() {
      block = Fixture.decode(blocks[height]);
    }

    @TearDown(Level.Trial)
    public void close() {
      sdb.close();
    }
  }

  /** update Account {gny: v} by address; v differs from the current value. */
  @Benchmark
  @OperationsPerInvocation(Fixture.PER_BLOCK)
  public long update(Accounts s) {
    Sdb sdb = s.sdb;
    int first = s.begin();
    for (int i = first; i < first + Fixture.PER_BLOCK; i++) {
      sdb.update(W1Models.ACCOUNT, Map.of("gny", s.amounts[i]), Map.of("address", s.addresses[i]));
    }
    return s.commit();
  }

  /** increase Account {gny: +amount} by address. */
  @Benchmark
  @OperationsPerInvocation(Fixture.PER_BLOCK)
  public long increase(Accounts s) {
    Sdb sdb = s.sdb;
    int first = s.begin();
    for (int i = first; i < first + Fixture.PER_BLOCK; i++) {
      sdb.increase(W1Models.ACCOUNT, Map.of("gny", s.amounts[i]),
          Map.of("address", s.addresses[i]));
    }
    return s.commit();
  }

  /** create Transfer with W1's values (a normal model: the new key is looked up in the store). */
  @Benchmark
  @OperationsPerInvocation(Fixture.PER_BLOCK)
  public long createTransfer(Transfers s) {
    Sdb sdb = s.sdb;
    s.begin();
    for (W1Transfer t : s.block) {
      sdb.create(W1Models.TRANSFER, Map.of(
          "tid", t.id(),
          "senderId", t.senderId(),
          "recipientId", t.recipientId(),
          "currency", "GNY",
          "amount", t.amount(),
          "timestamp", t.timestamp(),
          "height", t.height()));
    }
    return s.commit();
  }
}
