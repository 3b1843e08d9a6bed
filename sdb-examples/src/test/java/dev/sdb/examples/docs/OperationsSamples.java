package dev.sdb.examples.docs;

import dev.sdb.ChangeSet;
import dev.sdb.FsyncPolicy;
import dev.sdb.Sdb;
import dev.sdb.SdbListener;
import dev.sdb.SdbStats;
import dev.sdb.schema.Schema;
import dev.sdb.sql.SdbReader;
import dev.sdb.sql.SqlStateStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The code of {@code docs/operations.md}. Every {@code java} block of that page is copied verbatim
 * from this file ({@link DocsSamplesTest} checks it); the test runs the methods that need no
 * database server against temporary SQLite files.
 */
public final class OperationsSamples {
  private OperationsSamples() {}

  /** Every setting at its default, spelled out, on the embedded SQLite default. */
  static Sdb openWithDefaults(Schema schema, Path dbFile) {
    Sdb sdb = Sdb.builder()
        .schema(schema)
        .store(SqlStateStore.builder("jdbc:sqlite:" + dbFile).readPoolSize(4).sqliteCacheMb(64)
            .build())
        .flushInterval(Duration.ofSeconds(10))
        .maxPendingBlocks(1_000)
        .maxPendingDeltas(4_000_000)
        .wal(Path.of(dbFile + ".sdb-wal"))
        .fsync(FsyncPolicy.everyBlock())
        .open();
    return sdb;
  }

  /** Group commit: the log is forced every 50 ms instead of at every commitBlock. */
  static Sdb openWithGroupCommit(Schema schema, SqlStateStore store) {
    Sdb sdb = Sdb.builder().schema(schema).store(store)
        .fsync(FsyncPolicy.every(Duration.ofMillis(50)))
        .open();
    return sdb;
  }

  /** An import tool that decides itself when the database is written, and keeps no log. */
  static Sdb openForTool(Schema schema, SqlStateStore store) {
    Sdb sdb = Sdb.builder().schema(schema).store(store)
        .manualFlush()
        .noWal()
        .open();
    return sdb;
  }

  /** The background flush on the node's own scheduler instead of SDB's daemon thread. */
  static Sdb openOnScheduler(Schema schema, SqlStateStore store,
      ScheduledExecutorService scheduler) {
    Sdb sdb = Sdb.builder().schema(schema).store(store)
        .flushScheduler(scheduler)
        .open();
    return sdb;
  }

  /** PostgreSQL (compiled, not run: the build has no server). */
  static Sdb openPostgres(Schema schema, String password) {
    SqlStateStore store = SqlStateStore.builder("jdbc:postgresql://db.internal:5432/node")
        .user("node").password(password)
        .readPoolSize(8)
        .build();
    Sdb sdb = Sdb.builder().schema(schema).store(store)
        .wal(Path.of("/var/lib/node/sdb-wal"))
        .open();
    return sdb;
  }

  /** A metrics line, made on the writer thread after a block. */
  static String statsLine(Sdb sdb) {
    SdbStats s = sdb.stats();
    String line = String.format(Locale.ROOT,
        "height=%d flushed=%d pending=%d hitRate=%.3f pinned=%d flushes=%d failed=%d%s",
        s.lastHeight(), s.flushedHeight(), s.pendingBlocks(), s.cacheHitRate(), s.pinned(),
        s.flushes(), s.failedFlushes(),
        s.lastFlushFailure() == null ? "" : " lastFailure=" + s.lastFlushFailure());
    return line;
  }

  /** A gauge of the flushed height, updated by the flusher thread. */
  static Sdb openWithFlushGauge(Schema schema, SqlStateStore store, AtomicLong flushedGauge) {
    Sdb sdb = Sdb.builder().schema(schema).store(store)
        .listener(new SdbListener() {
          @Override
          public void flushed(long height) {
            flushedGauge.set(height);
          }
        })
        .open();
    return sdb;
  }

  /** An online backup of the SQLite file, taken on the writer thread between blocks. */
  static void backup(Sdb sdb, Path dbFile, Path backupFile) throws SQLException {
    sdb.flush(); // every committed block is in the database now
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile);
        Statement st = c.createStatement()) {
      st.execute("VACUUM INTO '" + backupFile.toString().replace("'", "''") + "'");
    }
  }

  /** A flushed block's change set, as the public delta JSON; empty if not stored. */
  static Optional<String> historyJson(SdbReader reader, long height) {
    return reader.changeSet(height).map(ChangeSet::deltasJson);
  }
}
