package dev.sdb.examples.w1;

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
 * One W1 run on SDB, steps 1 to 4 of BENCHMARK-W1.md, timed. Transfers are generated block by
 * block outside the measured time (hashing is not SDB's work). Throughput is end to end: from the
 * first block until every block is in the database.
 */
final class W1SdbRun {
  record Result(double genesisSeconds, double commitMeanMs, double commitP50Ms, double commitP99Ms,
      double step2Seconds, double transfersPerSecond, double rollbackMs, double flushSeconds,
      double flushRowsPerSecond, double readsPerSecond, long readRows, long peakHeapMb,
      long peakRssMb, String check, boolean ok) {}

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
      List<Double> commitMs = new ArrayList<>();
      long committed = 0;
      long committedBelowRollback = 0;
      long measured = 0;
      for (long h = 1; h <= o.blocks(); h++) {
        List<W1Transfer> transfers = workload.nextBlock(h, o.transfers());
        long start = System.nanoTime();
        sdb.beginBlock(W1Workload.blockHeader(h));
        int ok = 0;
        for (W1Transfer t : transfers) {
          ok += W1Contract.transfer(sdb, t) ? 1 : 0;
        }
        long commitStart = System.nanoTime();
        sdb.commitBlock();
        long end = System.nanoTime();
        commitMs.add((end - commitStart) / 1e6);
        measured += end - start;
        committed += ok;
        if (h <= o.blocks() - o.rollback()) {
          committedBelowRollback += ok;
        }
      }
      long rb = System.nanoTime();
      sdb.rollbackBlock(o.blocks() - o.rollback());
      double rollbackMs = (System.nanoTime() - rb) / 1e6;
      long pendingRows = committedBelowRollback * 2; // transfers and transactions still queued
      long f = System.nanoTime();
      sdb.flush();
      double flush = seconds(f);
      double step2 = (measured + (System.nanoTime() - rb)) / 1e9;

      SdbReader reader = store.reader();
      long r0 = System.nanoTime();
      long rows = 0;
      Mulberry32 stream = workload.random();
      for (int i = 0; i < 1000; i++) {
        String sender = W1Workload.address(stream.nextInt(o.accounts()));
        rows += reader.findAll(W1Models.TRANSFER, Query.where(Map.of("senderId", sender))).size();
      }
      reader.count(W1Models.TRANSFER, Map.of());
      double reads = 1000 / seconds(r0);

      Collections.sort(commitMs);
      double mean = commitMs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      String check = W1Check.check(reader, o, committedBelowRollback);
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
