package dev.sdb.examples.w1;

import dev.sdb.BlockHeader;
import dev.sdb.FsyncPolicy;
import dev.sdb.Sdb;
import dev.sdb.SdbBuilder;
import dev.sdb.examples.ScratchDirs;
import dev.sdb.sql.Query;
import dev.sdb.sql.SdbReader;
import dev.sdb.sql.SqlStateStore;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One W1 run on SDB, steps 1 to 4 of BENCHMARK-W1.md, timed. Transfers are generated, up to
 * {@value #CHUNK_BLOCKS} blocks at a time, before the clock runs (hashing is not SDB's work); the
 * blocks of a chunk then run back to back. Throughput is end to end: from the first block until
 * every block is in the database.
 */
final class W1SdbRun {
  record Result(double genesisSeconds, double commitMeanMs, double commitP50Ms, double commitP99Ms,
      double step2Seconds, double transfersPerSecond, double rollbackMs, double flushSeconds,
      double flushRowsPerSecond, double readsPerSecond, long readRows, long peakHeapMb,
      long peakRssMb, String check, boolean ok) {}

  /** Blocks generated ahead at a time: all of them at W1's defaults. */
  private static final int CHUNK_BLOCKS = 100;

  private W1SdbRun() {}

  static Result run(W1Options o, String url) {
    SqlStateStore store = SqlStateStore.open(url);
    SdbBuilder b = Sdb.builder()
        .schema(W1Models.schema(o.memoryAccount() ? W1Models.memoryAccount()
            : W1Models.normalAccount(Math.max(1, o.accounts() / 10))))
        .store(store)
        .flushInterval(Duration.ofMillis(o.flushIntervalMs()));
    @Nullable Path walDir = o.wal().equals("off") ? null : ScratchDirs.create("sdb-w1-wal");
    if (walDir == null) {
      b.noWal();
    } else {
      b.wal(walDir).fsync(o.wal().equals("block") ? FsyncPolicy.everyBlock()
          : FsyncPolicy.every(Duration.ofMillis(10)));
    }
    try {
      return run(o, b, store);
    } finally {
      if (walDir != null) {
        ScratchDirs.delete(walDir);
      }
    }
  }

  private static Result run(W1Options o, SdbBuilder b, SqlStateStore store) {
    try (Sdb sdb = b.open()) {
      long t0 = System.nanoTime();
      W1Contract.genesis(sdb, o.accounts());
      sdb.flush();
      double genesis = seconds(t0);

      W1Workload workload = new W1Workload(o.accounts(), Mulberry32.w1());
      W1Expected expected = new W1Expected(o.accounts());
      List<Double> commitMs = new ArrayList<>();
      long measured = 0;
      for (long first = 1; first <= o.blocks(); first += CHUNK_BLOCKS) {
        // Generated (hashes included) before the clock runs, so that no untimed gap between
        // blocks lends the flusher's thread time the baselines do not get.
        long last = Math.min(o.blocks(), first + CHUNK_BLOCKS - 1);
        List<BlockHeader> headers = new ArrayList<>();
        List<List<W1Transfer>> blocks = new ArrayList<>();
        for (long h = first; h <= last; h++) {
          headers.add(W1Workload.blockHeader(h));
          blocks.add(workload.nextBlock(h, o.transfers()));
          if (h <= o.blocks() - o.rollback()) {
            expected.add(blocks.get(blocks.size() - 1));
          }
        }
        long start = System.nanoTime();
        for (int k = 0; k < blocks.size(); k++) {
          sdb.beginBlock(headers.get(k));
          for (W1Transfer t : blocks.get(k)) {
            W1Contract.transfer(sdb, t);
          }
          long commitStart = System.nanoTime();
          sdb.commitBlock();
          commitMs.add((System.nanoTime() - commitStart) / 1e6);
        }
        measured += System.nanoTime() - start;
      }
      long rb = System.nanoTime();
      sdb.rollbackBlock(o.blocks() - o.rollback());
      double rollbackMs = (System.nanoTime() - rb) / 1e6;
      long pendingRows = expected.committedTransfers() * 2; // transfers, transactions queued
      long f = System.nanoTime();
      sdb.flush();
      double flush = seconds(f);
      double step2 = (measured + (System.nanoTime() - rb)) / 1e9;

      SdbReader reader = store.reader();
      long r0 = System.nanoTime();
      long rows = 0;
      long expectedRows = 0;
      Mulberry32 stream = workload.random();
      for (int i = 0; i < 1000; i++) {
        int sender = stream.nextInt(o.accounts());
        rows += reader.findAll(W1Models.TRANSFER,
            Query.where(Map.of("senderId", W1Workload.address(sender)))).size();
        expectedRows += expected.sentBy(sender);
      }
      reader.count(W1Models.TRANSFER, Map.of());
      double reads = 1000 / seconds(r0);

      Collections.sort(commitMs);
      double mean = commitMs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      String check = W1Check.check(reader, o, expected, rows, expectedRows);
      return new Result(genesis, mean, percentile(commitMs, 50), percentile(commitMs, 99), step2,
          o.blocks() * (double) o.transfers() / step2, rollbackMs, flush,
          pendingRows / flush, reads, rows, W1Database.peakHeapMb(), W1Database.peakRssMb(),
          check, check.startsWith("OK"));
    }
  }

  static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  static double percentile(List<Double> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  static BigInteger expectedSum(W1Options o, long committedTransfers) {
    return W1Workload.GENESIS_BALANCE.multiply(BigInteger.valueOf(o.accounts()))
        .subtract(W1Workload.FEE.multiply(BigInteger.valueOf(committedTransfers)));
  }
}
