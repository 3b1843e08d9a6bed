package dev.sdb.examples.w1;

import dev.sdb.examples.ScratchDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A fresh, empty database for each measured run: a new SQLite file (deleted after the run), or
 * emptied server tables.
 */
final class W1Database {
  /** What a run does with its database. */
  interface Use<T> {
    T on(String url) throws Exception;
  }

  private static final List<String> TABLES = List.of("sdb_change_set", "sdb_block", "account",
      "transfer", "transaction", "plain_account", "plain_transfer", "plain_transaction",
      "limit_account", "limit_transfer", "limit_transaction");

  private W1Database() {}

  /** Runs {@code use} on a fresh database; a SQLite file is deleted afterwards. */
  static <T> T onFresh(String db, Use<T> use) throws Exception {
    if (!db.equals("sqlite")) {
      return use.on(fresh(db));
    }
    Path dir = ScratchDirs.create("sdb-w1");
    try {
      return use.on("jdbc:sqlite:" + dir.resolve("w1.db"));
    } finally {
      ScratchDirs.delete(dir);
    }
  }

  private static String fresh(String db) {
    try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement()) {
      for (String t : TABLES) {
        st.execute("DROP TABLE IF EXISTS " + quote(db, t));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reach " + db, e);
    }
    return db;
  }

  static String quote(String url, String name) {
    return url.startsWith("jdbc:mariadb") || url.startsWith("jdbc:mysql") ? "`" + name + "`"
        : "\"" + name + "\"";
  }

  static String bigIntegerType(String url) {
    return url.startsWith("jdbc:sqlite") ? "TEXT"
        : url.startsWith("jdbc:postgresql") ? "NUMERIC" : "DECIMAL(65,0)";
  }

  /** The process's peak resident set size in MB (Linux), or -1. */
  static long peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** The peak heap used so far, in MB, summed over the heap pools. */
  static long peakHeapMb() {
    long bytes = 0;
    for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes >> 20;
  }
}
