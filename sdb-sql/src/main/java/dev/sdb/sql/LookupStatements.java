package dev.sdb.sql;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The engine's point lookups (a cache miss, a unique key) with prepared statements kept between
 * calls. SQLite's driver compiles a statement anew on every {@code prepareStatement}, which was
 * half of a lookup's time (about 4 of 8 µs for an Account by address).
 *
 * <p>The statements belong to the physical connection behind the pool's connection, prepared on
 * it directly so that the pool does not close them when the connection goes back. When the pool
 * hands out another physical connection (it retired or replaced the old one), they are prepared
 * again. A lookup that fails evicts its connection from the pool and is retried once on a fresh
 * one: a lookup only reads, and a connection that a database restart broke fails only once.
 */
final class LookupStatements {
  private final HikariDataSource pool;
  private @Nullable Connection owner;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  LookupStatements(HikariDataSource pool) {
    this.pool = pool;
  }

  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Runs the query {@code sql} with the values {@code binder} sets; {@code reader} reads it. */
  synchronized <T> T query(String sql, Binder binder, Reader<T> reader) throws SQLException {
    try {
      return attempt(sql, binder, reader);
    } catch (SQLException first) {
      try {
        return attempt(sql, binder, reader);
      } catch (SQLException second) {
        second.addSuppressed(first);
        throw second;
      }
    }
  }

  private <T> T attempt(String sql, Binder binder, Reader<T> reader) throws SQLException {
    try (Connection pooled = pool.getConnection()) {
      try {
        PreparedStatement ps = statement(pooled.unwrap(Connection.class), sql);
        binder.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          return reader.read(rs);
        }
      } catch (SQLException | RuntimeException e) {
        forget();
        pool.evictConnection(pooled);
        throw e;
      }
    }
  }

  private PreparedStatement statement(Connection physical, String sql) throws SQLException {
    if (physical != owner) {
      forget();
      owner = physical;
    }
    PreparedStatement ps = prepared.get(sql);
    if (ps == null) {
      ps = physical.prepareStatement(sql);
      prepared.put(sql, ps);
    }
    return ps;
  }

  /** Closes and drops the statements; on a broken connection they go with it. */
  private void forget() {
    for (PreparedStatement ps : prepared.values()) {
      try {
        ps.close();
      } catch (SQLException ignored) {
        // the connection is broken or closed already; its statements go with it
      }
    }
    prepared.clear();
    owner = null;
  }

  /** Closes the statements; the pool closes the connection. */
  synchronized void close() {
    forget();
  }
}
