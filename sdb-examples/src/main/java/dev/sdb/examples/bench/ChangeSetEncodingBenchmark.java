package dev.sdb.examples.bench;

import dev.sdb.BinaryDeltas;
import dev.sdb.ChangeSet;
import dev.sdb.ChangeSetJson;
import dev.sdb.Sdb;
import dev.sdb.SdbListener;
import dev.sdb.examples.w1.Mulberry32;
import dev.sdb.examples.w1.W1Contract;
import dev.sdb.examples.w1.W1Models;
import dev.sdb.examples.w1.W1Transfer;
import dev.sdb.examples.w1.W1Workload;
import dev.sdb.store.MemoryStateStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What encoding one committed block costs: the compact form the write-ahead log writes on the
 * writer's thread at every commitBlock ({@code compact}); that form compressed with the history
 * table's zlib setting, the flusher thread's work per block ({@code compactZlib}); and the history encoding
 * of the first release, the deltas' JSON compressed ({@code jsonZlib}). The block is W1's block 1
 * with {@code transfers} transfers (about four deltas each). Scores are blocks per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class ChangeSetEncodingBenchmark {
  @Param({"100", "1000"})
  public int transfers;

  private ChangeSet block;

  @Setup
  public void commitOneBlock() {
    List<ChangeSet> committed = new ArrayList<>();
    try (Sdb sdb = Sdb.builder().schema(W1Models.schema(W1Models.memoryAccount()))
        .store(new MemoryStateStore()).manualFlush().listener(new SdbListener() {
          @Override
          public void blockCommitted(ChangeSet set) {
            committed.add(set);
          }
        }).open()) {
      W1Contract.genesis(sdb, Fixture.ACCOUNTS);
      W1Workload workload = new W1Workload(Fixture.ACCOUNTS, new Mulberry32(42));
      sdb.beginBlock(W1Workload.blockHeader(1));
      for (W1Transfer t : workload.nextBlock(1, transfers)) {
        W1Contract.transfer(sdb, t);
      }
      sdb.commitBlock();
    }
    block = committed.get(1);
  }

  @Benchmark
  public byte[] compact() {
    return BinaryDeltas.encode(block.deltas());
  }

  @Benchmark
  public byte[] compactZlib() {
    byte[] compact = BinaryDeltas.encode(block.deltas());
    ByteArrayOutputStream out = new ByteArrayOutputStream(compact.length / 4);
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try (DeflaterOutputStream z = new DeflaterOutputStream(out, deflater, 1 << 16)) {
      z.write(compact);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      deflater.end();
    }
    return out.toByteArray();
  }

  @Benchmark
  public byte[] jsonZlib() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try (DeflaterOutputStream z = new DeflaterOutputStream(out, deflater, 1 << 16)) {
      ChangeSetJson.writeDeltas(block.deltas(), z);
    } finally {
      deflater.end();
    }
    return out.toByteArray();
  }
}
