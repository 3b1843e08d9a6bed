package dev.sdb.examples.bench;

import dev.sdb.examples.w1.W1Models;
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
 * W1's transfer contract (BENCHMARK-W1.md step 2), block by block, on SDB and on bare HashMaps in
 * the same run. One invocation is one block of {@value Fixture#PER_BLOCK} transfers including its
 * commitBlock, so the score is transfers per second with commitBlock's cost included; every 50th
 * contract is rolled back, as in W1. Txids, addresses, public keys, signatures and args are
 * computed before the run. Between cycles of {@value Fixture#CYCLE_BLOCKS} blocks a new engine
 * starts from genesis, outside the measured time ({@link Fixture}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class W1TransferBenchmark {

  /** SDB with Account as a memory model, or as a normal model caching A/10 accounts (W1's second run). */
  @State(Scope.Thread)
  public static class SdbChain {
    @Param({"memory", "normal"})
    public String accountModel;

    SdbW1Chain chain;

    @Setup(Level.Trial)
    public void open() {
      chain = new SdbW1Chain(Fixture.account(accountModel, Fixture.ACCOUNTS / 10));
    }

    @Setup(Level.Invocation)
    public void prepareBlock() {
      chain.prepareBlock();
    }

    @TearDown(Level.Trial)
    public void verifyAndClose() {
      try {
        chain.verify();
      } finally {
        chain.close();
      }
    }
  }

  /**
   * The same transfers on bare HashMaps, in two shapes: {@code objects}, hand-made Java with
   * accounts as mutable objects and rows as arrays ({@link HashMapW1Chain}); {@code maps}, the
   * contract's own calls and argument maps on HashMaps of map rows ({@link MapApiW1Chain}).
   */
  @State(Scope.Thread)
  public static class HashMapChain {
    @Param({"objects", "maps"})
    public String bareShape;

    BareW1Chain chain;

    @Setup(Level.Trial)
    public void open() {
      chain = switch (bareShape) {
        case "objects" -> new HashMapW1Chain();
        case "maps" -> new MapApiW1Chain();
        default -> throw new IllegalArgumentException("bareShape must be objects or maps: "
            + bareShape);
      };
    }

    @Setup(Level.Invocation)
    public void prepareBlock() {
      chain.prepareBlock();
    }

    @TearDown(Level.Trial)
    public void verify() {
      chain.verify();
    }
  }

  /** The block's transfers run outside the measured time; only commitBlock is measured. */
  @State(Scope.Thread)
  public static class FullBlock {
    SdbW1Chain chain;

    @Setup(Level.Trial)
    public void open() {
      chain = new SdbW1Chain(W1Models.memoryAccount());
    }

    @Setup(Level.Invocation)
    public void transfers() {
      chain.prepareBlock();
      chain.beginBlockAndTransfer();
    }

    @TearDown(Level.Trial)
    public void verifyAndClose() {
      try {
        chain.verify();
      } finally {
        chain.close();
      }
    }
  }

  /** Transfers per second on SDB, commitBlock included (two forks: the ratio needs both steady). */
  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
  @OperationsPerInvocation(Fixture.PER_BLOCK)
  public long sdbTransfers(SdbChain s) {
    return s.chain.block();
  }

  /** Transfers per second on bare HashMaps: the JVM's limit for this work (two forks). */
  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
  @OperationsPerInvocation(Fixture.PER_BLOCK)
  public int hashMapTransfers(HashMapChain s) {
    return s.chain.block();
  }

  /** commitBlock of a block of 100 W1 transfers (about 400 deltas), Account in memory. */
  @Benchmark
  public long sdbCommitBlock(FullBlock s) {
    return s.chain.commitBlock();
  }
}
