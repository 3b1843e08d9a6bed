package dev.sdb.examples.w1;

import java.util.ArrayList;
import java.util.List;

/**
 * The W1 runner's command line: {@code --db sqlite|<jdbc-url>} {@code --accounts A}
 * {@code --blocks B} {@code --transfers T} {@code --rollback R} {@code --account memory|normal}
 * {@code --wal off|block|group} {@code --runs N} {@code --warmups N} {@code --flush-interval MS}
 * (SDB's background flush; default 10,000 as in production) {@code --baselines all|limit|none}
 * ({@code limit} runs only the database limit, the one baseline that stays quick at the scale
 * parameters; {@code --no-baselines} is {@code --baselines none}).
 * Warm-up runs (SDB and baselines alike) let the JIT compile the code before the measured runs;
 * their figures are printed but not counted.
 */
record W1Options(String db, int accounts, int blocks, int transfers, int rollback,
    boolean memoryAccount, String wal, int runs, int warmups, Baselines baselines,
    long flushIntervalMs) {

  /** Which baselines run beside SDB. */
  enum Baselines {
    ALL, LIMIT, NONE;

    boolean limit() {
      return this != NONE;
    }

    boolean others() {
      return this == ALL;
    }
  }

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
    Baselines baselines = Baselines.ALL;
    long flushMs = 10_000;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--db" -> db = v;
        case "--accounts" -> a = number(args[i], v, 2);
        case "--blocks" -> b = number(args[i], v, 1);
        case "--transfers" -> t = number(args[i], v, 1);
        case "--rollback" -> r = number(args[i], v, 0);
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
        case "--runs" -> runs = number(args[i], v, 1);
        case "--warmups" -> warmups = number(args[i], v, 0);
        case "--flush-interval" -> flushMs = number(args[i], v, 1);
        case "--baselines" -> baselines = switch (v) {
          case "all" -> Baselines.ALL;
          case "limit" -> Baselines.LIMIT;
          case "none" -> Baselines.NONE;
          default -> throw new IllegalArgumentException("--baselines all|limit|none, not " + v);
        };
        case "--no-baselines" -> {
          baselines = Baselines.NONE;
          i--;
        }
        case "--help" -> {
          System.out.println("W1 benchmark: --db sqlite|<jdbc-url> --accounts 10000 --blocks 100 "
              + "--transfers 100 --rollback 10 --account memory|normal --wal off|block|group "
              + "--runs 5 --warmups 3 --flush-interval 10000 --baselines all|limit|none "
              + "(--no-baselines = --baselines none)");
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
    if (!db.equals("sqlite") && !db.startsWith("jdbc:")) {
      throw new IllegalArgumentException("--db takes sqlite or a JDBC URL, not '" + db + "'");
    }
    return new W1Options(db, a, b, t, r, memory, wal, runs, warmups, baselines, flushMs);
  }

  private static int number(String option, String value, int min) {
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " takes a whole number, not '" + value + "'");
    }
    if (n < min) {
      throw new IllegalArgumentException(option + " must be at least " + min + ", not " + n);
    }
    return n;
  }

  /**
   * Transfers that stay in the chain: blocks 1..B-R, each without its rolled-back contracts (the
   * j-th with {@code j % 50 == 49}), so T - T/50 per block: W1's (B-R)*T*49/50 for T = 100.
   */
  long committedTransfers() {
    return (long) (blocks - rollback) * (transfers - transfers / 50);
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
