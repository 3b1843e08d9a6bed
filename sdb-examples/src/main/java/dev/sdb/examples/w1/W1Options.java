package dev.sdb.examples.w1;

import java.util.ArrayList;
import java.util.List;

/**
 * The W1 runner's command line: {@code --db sqlite|<jdbc-url>} {@code --accounts A}
 * {@code --blocks B} {@code --transfers T} {@code --rollback R} {@code --account memory|normal}
 * {@code --wal off|block|group} {@code --runs N} {@code --warmups N} {@code --flush-interval MS}
 * (SDB's background flush; default 10,000 as in production) {@code --no-baselines}.
 * Warm-up runs (SDB and baselines alike) let the JIT compile the code before the measured runs;
 * their figures are printed but not counted.
 */
record W1Options(String db, int accounts, int blocks, int transfers, int rollback,
    boolean memoryAccount, String wal, int runs, int warmups, boolean baselines,
    long flushIntervalMs) {

  static W1Options parse(String[] args) {
    String db = "sqlite";
    int a = 10_000;
    int b = 100;
    int t = 100;
    int r = 10;
    boolean memory = true;
    String wal = "block";
    int runs = 5;
    int warmups = 3; // a W1 run lasts half a second: the first ones run partly interpreted
    boolean baselines = true;
    long flushMs = 10_000;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--db" -> db = v;
        case "--accounts" -> a = Integer.parseInt(v);
        case "--blocks" -> b = Integer.parseInt(v);
        case "--transfers" -> t = Integer.parseInt(v);
        case "--rollback" -> r = Integer.parseInt(v);
        case "--account" -> memory = switch (v) {
          case "memory" -> true;
          case "normal" -> false;
          default -> throw new IllegalArgumentException("--account memory|normal, not " + v);
        };
        case "--wal" -> {
          if (!List.of("off", "block", "group").contains(v)) {
            throw new IllegalArgumentException("--wal off|block|group, not " + v);
          }
          wal = v;
        }
        case "--runs" -> runs = Integer.parseInt(v);
        case "--warmups" -> warmups = Integer.parseInt(v);
        case "--flush-interval" -> flushMs = Long.parseLong(v);
        case "--no-baselines" -> {
          baselines = false;
          i--;
        }
        case "--help" -> {
          System.out.println("W1 benchmark: --db sqlite|<jdbc-url> --accounts 10000 --blocks 100 "
              + "--transfers 100 --rollback 10 --account memory|normal --wal off|block|group "
              + "--runs 5 --warmups 3 --flush-interval 10000 --no-baselines");
          System.exit(0);
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (try --help)");
      }
      i++;
    }
    if (r >= b) {
      throw new IllegalArgumentException("--rollback must be below --blocks");
    }
    return new W1Options(db, a, b, t, r, memory, wal, runs, warmups, baselines, flushMs);
  }

  String describe() {
    List<String> parts = new ArrayList<>();
    parts.add("A=" + accounts);
    parts.add("B=" + blocks);
    parts.add("T=" + transfers);
    parts.add("R=" + rollback);
    parts.add("Account " + (memoryAccount ? "memory" : "normal, maxCached=" + accounts / 10));
    parts.add("log " + wal);
    parts.add("flush every " + flushIntervalMs + " ms");
    return String.join(", ", parts);
  }
}
