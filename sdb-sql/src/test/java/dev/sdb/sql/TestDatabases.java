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

  /** Drops every table of the test database's schema, whichever test made it. */
  private static void dropTables(String url) {
    boolean mariadb = url.startsWith("jdbc:mariadb");
    Connection c;
    try {
      c = DriverManager.getConnection(url);
    } catch (SQLException e) {
      throw new IllegalStateException("test database " + url + " is unreachable; start it or set "
          + "SDB_TEST_POSTGRES_URL / SDB_TEST_MARIADB_URL", e);
    }
    try (c; Statement st = c.createStatement()) {
      List<String> tables = new java.util.ArrayList<>();
      try (java.sql.ResultSet rs = st.executeQuery(mariadb
          ? "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
              + "AND table_type = 'BASE TABLE'"
          : "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        st.execute("DROP TABLE IF EXISTS " + (mariadb ? "`" + t.replace("`", "``") + "`"
            : "\"" + t.replace("\"", "\"\"") + "\" CASCADE"));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the test database " + url, e);
    }
  }
}
