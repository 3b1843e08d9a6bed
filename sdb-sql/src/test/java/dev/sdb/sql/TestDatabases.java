package dev.sdb.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The databases store tests run against. PostgreSQL and MariaDB are the servers on loopback (URLs
 * overridable with SDB_TEST_POSTGRES_URL and SDB_TEST_MARIADB_URL); a server that cannot be reached
 * fails the test, it never skips it.
 */
public enum TestDatabases {
  SQLITE,
  POSTGRES,
  MARIADB;

  private static final List<String> TABLES = List.of("sdb_change_set", "sdb_block", "account",
      "transfer", "transaction", "balance", "delegate", "w1_account", "item");

  /** A JDBC URL for an empty database of this kind. */
  public String freshUrl() {
    String url = switch (this) {
      case SQLITE -> {
        try {
          Path dir = Files.createTempDirectory("sdb-test");
          dir.toFile().deleteOnExit();
          yield "jdbc:sqlite:" + dir.resolve("test.db");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      case POSTGRES -> env("SDB_TEST_POSTGRES_URL",
          "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
      case MARIADB -> env("SDB_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root");
    };
    if (this != SQLITE) {
      dropTables(url);
    }
    return url;
  }

  public SqlStateStore freshStore() {
    return SqlStateStore.open(freshUrl());
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static void dropTables(String url) {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      for (String t : TABLES) {
        st.execute("DROP TABLE IF EXISTS " + (url.startsWith("jdbc:mariadb") ? "`" + t + "`"
            : "\"" + t + "\""));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test database " + url + " is unreachable; start it or set "
          + "SDB_TEST_POSTGRES_URL / SDB_TEST_MARIADB_URL", e);
    }
  }
}
