package dev.sdb.examples.bench;

import dev.sdb.BlockHeader;
import dev.sdb.Sdb;
import dev.sdb.examples.QuietLibraries;
import dev.sdb.examples.ScratchDirs;
import dev.sdb.examples.w1.W1Benchmark;
import dev.sdb.schema.ColumnType;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import dev.sdb.sql.SqlStateStore;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The store's two bulk paths against the database's own ceiling, in one run:
 *
 * <ul>
 *   <li><b>load</b>: opening an Sdb on a database holding N memory-model rows (rows/s);
 *   <li><b>cache miss</b>: a load of a normal-model row that is not cached (µs), on those rows;
 *   <li><b>flush</b>: one flush of a genesis block of A accounts plus B blocks of T transfers (each
 *       transfer: two account increases and one Transfer row), compared with the "limit": the same
 *       final rows written with one prepared statement per table, JDBC batches, one transaction.
 * </ul>
 *
 * Usage: {@code StoreBenchmark <jdbc-url-or-"sqlite"> [loadRows] [runs]}. One warm-up flush and
 * limit run first, then {@code runs} measured runs; prints medians.
 */
public final class StoreBenchmark {
  static final ModelSchema ACCOUNT = accountColumns(ModelSchema.builder("Account").memory());
  /** The same table as a normal model caching 10 rows: nearly every lookup asks the database. */
  static final ModelSchema CACHED_ACCOUNT =
      accountColumns(ModelSchema.builder("Account").maxCached(10));
  static final ModelSchema TRANSFER = ModelSchema.builder("Transfer")
      .string("tid", 64).string("senderId", 50).indexed().string("recipientId", 50).indexed()
      .column("amount", ColumnType.BIG_INTEGER).column("height", ColumnType.LONG).indexed()
      .primaryKey("tid").build();
  /** The flush measurement: a genesis of ACCOUNTS, then BLOCKS blocks of TRANSFERS transfers. */
  private static final int ACCOUNTS = 100_000;
  private static final int BLOCKS = 100;
  private static final int TRANSFERS = 1_000;
  public static final Schema SCHEMA = Schema.builder().model(ACCOUNT).model(TRANSFER).build();

  private StoreBenchmark() {}

  private static ModelSchema accountColumns(ModelSchema.Builder b) {
    return b.string("address", 50).string("username", 20).nullable().unique()
        .column("gny", ColumnType.BIG_INTEGER).defaultValue(0)
        .column("isDelegate", ColumnType.INT).defaultValue(0)
        .primaryKey("address").build();
  }

  public static void main(String[] args) throws Exception {
    QuietLibraries.apply();
    String target = args.length > 0 ? args[0] : "sqlite";
    int loadRows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    // One flush and one limit first, not counted: the first run's flush is partly interpreted.
    sdbFlushRowsPerSecond(url(target), ACCOUNTS, BLOCKS, TRANSFERS);
    limitRowsPerSecond(url(target), ACCOUNTS, BLOCKS, TRANSFERS);
    List<Double> load = new ArrayList<>();
    List<Double> miss = new ArrayList<>();
    List<Double> flush = new ArrayList<>();
    List<Double> limit = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      String loaded = url(target);
      load.add(loadRowsPerSecond(loaded, loadRows));
      miss.add(cacheMissMicros(loaded, loadRows));
      flush.add(sdbFlushRowsPerSecond(url(target), ACCOUNTS, BLOCKS, TRANSFERS));
      limit.add(limitRowsPerSecond(url(target), ACCOUNTS, BLOCKS, TRANSFERS));
      System.out.printf("run %d: load %,.0f rows/s, cache miss %.1f µs, SDB flush %,.0f rows/s, "
          + "limit %,.0f rows/s%n", r + 1, load.get(r), miss.get(r), flush.get(r), limit.get(r));
    }
    double f = W1Benchmark.median(flush);
    double l = W1Benchmark.median(limit);
    System.out.printf("%s medians of %d runs: load %,.0f rows/s (%,d rows); cache miss %.1f µs; "
        + "flush %,.0f rows/s; limit %,.0f rows/s; flush/limit %.0f%%%n", kind(target), runs,
        W1Benchmark.median(load), loadRows, W1Benchmark.median(miss), f, l, 100 * f / l);
  }

  /** Writes N accounts with plain JDBC, then times opening an Sdb, which loads them all. */
  static double loadRowsPerSecond(String url, int rows) throws Exception {
    try (Sdb sdb = Sdb.builder().schema(SCHEMA).store(SqlStateStore.open(url)).noWal()
        .manualFlush().open()) {
      sdb.beginBlock(new BlockHeader(0, "genesis", null, 0));
      sdb.commitBlock();
    }
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      boolean sqlite = url.startsWith("jdbc:sqlite:");
      String q = url.startsWith("jdbc:mariadb") ? "`" : "\"";
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO account (address, username, "
          + "gny, " + q + "isDelegate" + q + ", " + q + "_version_" + q + ") VALUES (?,?,?,?,?)")) {
        for (int i = 0; i < rows; i++) {
          ps.setString(1, "G" + i);
          ps.setString(2, null);
          BigInteger gny = BigInteger.TEN.pow(15);
          if (sqlite) {
            ps.setString(3, gny.toString());
          } else {
            ps.setBigDecimal(3, new BigDecimal(gny));
          }
          ps.setInt(4, 0);
          ps.setLong(5, 1);
          ps.addBatch();
          if (i % 10_000 == 9_999) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      c.commit();
    }
    long start = System.nanoTime();
    try (Sdb sdb = Sdb.builder().schema(SCHEMA).store(SqlStateStore.open(url)).noWal()
        .manualFlush().open()) {
      double seconds = (System.nanoTime() - start) / 1e9;
      if (sdb.getAll("Account").size() != rows) {
        throw new IllegalStateException("loaded " + sdb.getAll("Account").size() + " of " + rows);
      }
      return rows / seconds;
    }
  }

  /**
   * Opens the loaded accounts as a normal model ({@link #CACHED_ACCOUNT}) and times loads of
   * random accounts, which nearly all miss the cache and ask the database: µs per load, after
   * 5,000 loads to warm up.
   */
  static double cacheMissMicros(String url, int rows) {
    Schema schema = Schema.builder().model(CACHED_ACCOUNT).model(TRANSFER).build();
    try (Sdb sdb = Sdb.builder().schema(schema).store(SqlStateStore.open(url)).noWal()
        .manualFlush().open()) {
      java.util.SplittableRandom random = new java.util.SplittableRandom(42);
      Map<String, Object> key = new java.util.HashMap<>();
      long start = 0;
      for (int i = 0; i < 25_000; i++) {
        if (i == 5_000) {
          start = System.nanoTime();
        }
        key.put("address", "G" + random.nextInt(rows));
        sdb.load("Account", key).orElseThrow();
      }
      return (System.nanoTime() - start) / 20_000 / 1e3;
    }
  }

  /** Runs the blocks in memory, then times the one flush that writes them all. */
  static double sdbFlushRowsPerSecond(String url, int accounts, int blocks, int transfers) {
    // A background flusher that never fires on its own: it prepares change sets as they queue,
    // as it does in a running node, and the flush below is the one that writes. No write-ahead
    // log: it is not what is measured here (W1 measures it).
    try (Sdb sdb = Sdb.builder().schema(SCHEMA).store(SqlStateStore.open(url)).noWal()
        .flushInterval(java.time.Duration.ofHours(1)).maxPendingBlocks(blocks + 10).open()) {
      sdb.beginBlock(new BlockHeader(0, "b0", null, 0));
      for (int i = 0; i < accounts; i++) {
        sdb.create("Account", Map.of("address", "G" + i, "gny", 1_000_000_000L));
      }
      sdb.commitBlock();
      java.util.Random rnd = new java.util.Random(42);
      for (int h = 1; h <= blocks; h++) {
        sdb.beginBlock(new BlockHeader(h, "b" + h, "b" + (h - 1), h));
        for (int j = 0; j < transfers; j++) {
          String s = "G" + rnd.nextInt(accounts);
          String r = "G" + rnd.nextInt(accounts);
          sdb.increase("Account", Map.of("gny", -10), Map.of("address", s));
          sdb.increase("Account", Map.of("gny", 10), Map.of("address", r));
          sdb.create("Transfer", Map.of("tid", "t" + h + "-" + j, "senderId", s, "recipientId", r,
              "amount", 10, "height", h));
        }
        sdb.commitBlock();
      }
      long start = System.nanoTime();
      sdb.flush();
      double seconds = (System.nanoTime() - start) / 1e9;
      return (accounts + (long) blocks * transfers) / seconds;
    }
  }

  /** The same final rows, straight into two plain tables: the database's ceiling. */
  static double limitRowsPerSecond(String url, int accounts, int blocks, int transfers)
      throws Exception {
    boolean sqlite = url.startsWith("jdbc:sqlite:");
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      if (sqlite) { // the same settings SDB's store uses
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA synchronous=FULL");
        st.execute("PRAGMA cache_size=-" + 1024 * SqlStateStore.DEFAULT_SQLITE_CACHE_MB);
      }
      st.execute("DROP TABLE IF EXISTS limit_account");
      st.execute("DROP TABLE IF EXISTS limit_transfer");
      String big = sqlite ? "TEXT" : url.startsWith("jdbc:mariadb") ? "DECIMAL(65,0)" : "NUMERIC";
      st.execute("CREATE TABLE limit_account (address VARCHAR(50) PRIMARY KEY, username "
          + "VARCHAR(20) UNIQUE, gny " + big + " NOT NULL, is_delegate INT NOT NULL, version BIGINT "
          + "NOT NULL)");
      st.execute("CREATE TABLE limit_transfer (tid VARCHAR(64) PRIMARY KEY, sender VARCHAR(50) NOT "
          + "NULL, recipient VARCHAR(50) NOT NULL, amount " + big + " NOT NULL, height BIGINT NOT "
          + "NULL)");
      st.execute("CREATE INDEX lt_s ON limit_transfer (sender)");
      st.execute("CREATE INDEX lt_r ON limit_transfer (recipient)");
      st.execute("CREATE INDEX lt_h ON limit_transfer (height)");
      long start = System.nanoTime();
      c.setAutoCommit(false);
      try (PreparedStatement a = c.prepareStatement("INSERT INTO limit_account VALUES (?,?,?,?,?)");
          PreparedStatement t = c.prepareStatement(
              "INSERT INTO limit_transfer VALUES (?,?,?,?,?)")) {
        for (int i = 0; i < accounts; i++) {
          a.setString(1, "G" + i);
          a.setString(2, null);
          bindBig(a, 3, BigInteger.valueOf(1_000_000_000L + i), sqlite);
          a.setInt(4, 0);
          a.setLong(5, 1);
          a.addBatch();
        }
        a.executeBatch();
        java.util.Random rnd = new java.util.Random(42); // the same rows SDB writes
        for (int h = 1; h <= blocks; h++) {
          for (int j = 0; j < transfers; j++) {
            t.setString(1, "t" + h + "-" + j);
            t.setString(2, "G" + rnd.nextInt(accounts));
            t.setString(3, "G" + rnd.nextInt(accounts));
            bindBig(t, 4, BigInteger.TEN, sqlite);
            t.setLong(5, h);
            t.addBatch();
          }
        }
        t.executeBatch();
      }
      c.commit();
      double seconds = (System.nanoTime() - start) / 1e9;
      c.setAutoCommit(true);
      st.execute("DROP TABLE limit_account");
      st.execute("DROP TABLE limit_transfer");
      return (accounts + (long) blocks * transfers) / seconds;
    }
  }

  private static void bindBig(PreparedStatement ps, int i, BigInteger v, boolean sqlite)
      throws java.sql.SQLException {
    if (sqlite) {
      ps.setString(i, v.toString());
    } else {
      ps.setBigDecimal(i, new BigDecimal(v));
    }
  }

  /** A fresh database for each measurement. */
  static String url(String target) throws Exception {
    if (target.equals("sqlite")) {
      Path dir = ScratchDirs.create("sdb-bench"); // deleted at exit
      return "jdbc:sqlite:" + dir.resolve("bench.db");
    }
    try (Connection c = DriverManager.getConnection(target); Statement st = c.createStatement()) {
      String q = target.startsWith("jdbc:mariadb") ? "`" : "\"";
      for (String t : List.of("sdb_change_set", "sdb_block", "account", "transfer")) {
        st.execute("DROP TABLE IF EXISTS " + q + t + q);
      }
    }
    return target;
  }

  private static String kind(String target) {
    return target.equals("sqlite") ? "sqlite" : target.split(":")[1];
  }
}
