package dev.sdb.examples.w1;

import dev.sdb.examples.QuietLibraries;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Runs benchmark W1 ({@code shared/BENCHMARK-W1.md}) on SDB and, in the same process and on the
 * same database, its baselines; prints SDB's figures, the self-check, and the ratios. Exits
 * non-zero if a check fails. See {@link W1Options} for the command line.
 */
public final class W1Benchmark {
  private W1Benchmark() {}

  public static void main(String[] args) throws Exception {
    try {
      W1Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("W1Benchmark: " + e.getMessage() + " (try --help)");
      System.exit(2);
    }
    if (!run(args)) {
      System.exit(1);
    }
  }

  /** Runs W1 as {@code args} say and prints it all; returns whether every self-check passed. */
  static boolean run(String[] args) throws Exception {
    QuietLibraries.apply();
    W1Options o = W1Options.parse(args);
    System.out.println("W1 on " + (o.db().equals("sqlite") ? "sqlite" : o.db().split(":")[1])
        + ": " + o.describe() + ", " + o.warmups() + " warm-up and " + o.runs()
        + " measured run(s)");
    for (int w = 1; w <= o.warmups(); w++) {
      W1SdbRun.Result r = W1Database.onFresh(o.db(), url -> W1SdbRun.run(o, url));
      if (o.baselines().limit()) {
        W1Database.onFresh(o.db(), url -> W1Baselines.limit(o, url));
      }
      if (o.baselines().others()) {
        W1Database.onFresh(o.db(), url -> W1Baselines.plainJdbc(o, url));
        W1Baselines.hashMaps(o);
      }
      System.out.printf("warm-up %d: SDB %,.0f transfers/s (not counted); check %s%n", w,
          r.transfersPerSecond(), r.check());
    }
    List<W1SdbRun.Result> results = new ArrayList<>();
    List<Double> plain = new ArrayList<>();
    List<Double> limitRows = new ArrayList<>();
    List<Double> limitTransfers = new ArrayList<>();
    List<Double> maps = new ArrayList<>();
    boolean ok = true;
    for (int run = 1; run <= o.runs(); run++) {
      W1SdbRun.Result r = W1Database.onFresh(o.db(), url -> W1SdbRun.run(o, url));
      results.add(r);
      ok &= r.ok();
      System.out.printf("run %d: SDB %,.0f transfers/s end to end; genesis %.2f s; commitBlock "
          + "mean %.2f ms, p50 %.2f ms, p99 %.2f ms; step 2 %.2f s; rollback of %d blocks %.1f ms; "
          + "flush %.2f s (%,.0f rows/s); %,.0f reads/s (%,d rows); peak heap %d MB, RSS %d MB%n",
          run, r.transfersPerSecond(), r.genesisSeconds(), r.commitMeanMs(), r.commitP50Ms(),
          r.commitP99Ms(), r.step2Seconds(), o.rollback(), r.rollbackMs(), r.flushSeconds(),
          r.flushRowsPerSecond(), r.readsPerSecond(), r.readRows(), r.peakHeapMb(),
          r.peakRssMb());
      System.out.println("       check " + r.check());
      if (o.baselines().limit()) {
        double[] limit = W1Database.onFresh(o.db(),
            url -> W1Baselines.limit(o, url));
        limitRows.add(limit[0]);
        limitTransfers.add(limit[1]);
        System.out.printf("       limit %,.0f rows/s = %,.0f transfers/s%n", limit[0], limit[1]);
      }
      if (o.baselines().others()) {
        plain.add(W1Database.onFresh(o.db(), url -> W1Baselines.plainJdbc(o, url)));
        maps.add(W1Baselines.hashMaps(o));
        System.out.printf("       plain JDBC %,.0f transfers/s; bare HashMaps %,.0f "
            + "transfers/s%n", plain.get(run - 1), maps.get(run - 1));
      }
    }
    double sdb = median(results, W1SdbRun.Result::transfersPerSecond);
    System.out.printf("median SDB %,.0f transfers/s, commitBlock p99 %.2f ms, rollback %.1f ms, "
        + "flush %,.0f rows/s, reads %,.0f/s%n", sdb, median(results, W1SdbRun.Result::commitP99Ms),
        median(results, W1SdbRun.Result::rollbackMs),
        median(results, W1SdbRun.Result::flushRowsPerSecond),
        median(results, W1SdbRun.Result::readsPerSecond));
    if (o.baselines().limit()) {
      double lt = median(limitTransfers);
      System.out.printf("median limit: %,.0f rows/s = %,.0f transfers/s (SDB %.0f%%)%n",
          median(limitRows), lt, 100 * sdb / lt);
    }
    if (o.baselines().others()) {
      double p = median(plain);
      double m = median(maps);
      System.out.printf("median baselines: plain JDBC %,.0f transfers/s (SDB %.1fx); bare HashMaps "
          + "%,.0f transfers/s (SDB %.0f%%)%n", p, sdb / p, m, 100 * sdb / m);
    }
    System.out.println(ok ? "PASS" : "FAIL");
    return ok;
  }

  private static <T> double median(List<T> items, ToDoubleFunction<T> f) {
    List<Double> values = new ArrayList<>();
    items.forEach(i -> values.add(f.applyAsDouble(i)));
    return median(values);
  }

  /** The median of the values (the mean of the middle two for an even count), 0 for none. */
  public static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n == 0 ? 0 : n % 2 == 1 ? sorted.get(n / 2)
        : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
