package dev.sdb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.BlockHeader;
import dev.sdb.ChangeSet;
import dev.sdb.ChangeSetJson;
import dev.sdb.Sdb;
import dev.sdb.SdbListener;
import dev.sdb.StoreException;
import dev.sdb.TestModels;
import dev.sdb.schema.ColumnType;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The history table: what it keeps, how the reader gives it back, and rows of earlier releases. */
class HistoryTest {
  private static final Schema SCHEMA = Schema.builder().model(ModelSchema.builder("Item").memory()
      .string("id", 20).column("qty", ColumnType.INT).column("price", ColumnType.BIG_INTEGER)
      .string("note", 50).nullable().column("blob", ColumnType.BYTES).nullable()
      .primaryKey("id").build()).build();

  private final List<ChangeSet> committed = new ArrayList<>();

  private Sdb open(SqlStateStore store) {
    return TestModels.builder(store, SCHEMA).manualFlush().listener(new SdbListener() {
      @Override
      public void blockCommitted(ChangeSet set) {
        committed.add(set);
      }
    }).open();
  }

  /** Block 0 creates three items; each later block updates, increases, deletes and re-creates. */
  private static void blocks(Sdb sdb, long from, long to) {
    for (long h = from; h <= to; h++) {
      sdb.beginBlock(new BlockHeader(h, "b" + h, h == 0 ? null : "b" + (h - 1), 1000 + h,
          Map.of("miner", "m" + h)));
      if (h == 0) {
        for (String id : List.of("a", "b", "c")) {
          sdb.create("Item", Map.of("id", id, "qty", 1, "price", BigInteger.TEN.pow(30),
              "note", "ü-" + id, "blob", new byte[] {1, 2, 3}));
        }
      } else {
        sdb.update("Item", Map.of("note", "n" + h), Map.of("id", "a"));
        sdb.increase("Item", Map.of("qty", 2, "price", -h), Map.of("id", "b"));
        sdb.del("Item", Map.of("id", "c"));
        sdb.create("Item", Map.of("id", "c", "qty", (int) h, "price", h));
      }
      sdb.commitBlock();
    }
  }

  /** A fresh database holding blocks 0..last, flushed; its URL. */
  private String flushedDatabase(TestDatabases db, long last) {
    String url = db.freshUrl();
    try (Sdb sdb = open(SqlStateStore.open(url))) {
      blocks(sdb, 0, last);
      sdb.flush();
    }
    return url;
  }

  /** The encoding of the first release: the deltas' JSON, zlib-compressed. */
  private static byte[] legacyEncoding(ChangeSet set) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(bytes,
        new Deflater(Deflater.BEST_SPEED))) {
      ChangeSetJson.writeDeltas(set.deltas(), out);
    }
    return bytes.toByteArray();
  }

  private static void overwriteChangeSet(String url, long height, byte[] deltas) throws Exception {
    try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(
        "UPDATE sdb_change_set SET deltas = ? WHERE height = ?")) {
      ps.setBytes(1, deltas);
      ps.setLong(2, height);
      assertThat(ps.executeUpdate()).isOne();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void theReaderGivesBackEachFlushedChangeSet_asCommitted(TestDatabases db) {
    SqlStateStore store = SqlStateStore.builder(db.freshUrl()).historyDepth(3).build();
    try (Sdb sdb = open(store)) {
      blocks(sdb, 0, 5);
      sdb.flush();
      blocks(sdb, 6, 6); // not flushed

      for (long h = 3; h <= 5; h++) {
        ChangeSet stored = store.reader().changeSet(h).orElseThrow();
        ChangeSet original = committed.get((int) h);
        assertThat(stored.block()).isEqualTo(original.block());
        assertThat(stored.deltas()).isEqualTo(original.deltas());
        assertThat(stored.deltasJson()).isEqualTo(original.deltasJson());
      }
      assertThat(store.reader().changeSet(2)).as("pruned").isEmpty();
      assertThat(store.reader().changeSet(6)).as("not flushed").isEmpty();
      assertThat(store.reader().changeSet(-1)).isEmpty();
    }
  }

  /**
   * The engine hands the change sets it read to revertTo; change sets that are not exactly the
   * blocks the database holds (too few, or another block at a height) are not used: the store
   * reads its own and still reverts every block.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void revertTo_withChangeSetsOtherThanTheHeldOnes_revertsTheHeldBlocks(TestDatabases db) {
    List<Map<String, Object>> expected;
    try (SqlStateStore reference = SqlStateStore.open(flushedDatabase(db, 2))) {
      reference.open(SCHEMA);
      expected = reference.reader().findAll("Item", Query.all());
    }
    for (int variant = 0; variant < 2; variant++) {
      try (SqlStateStore store = SqlStateStore.open(flushedDatabase(db, 5))) {
        store.open(SCHEMA);
        List<ChangeSet> held = store.changeSetsAbove(2);
        ChangeSet last = held.get(2);
        List<ChangeSet> other = variant == 0 ? held.subList(0, 2) : List.of(held.get(0),
            held.get(1), new ChangeSet(new BlockHeader(5, "another b5", "b4", 1005, Map.of()),
                last.deltas().subList(0, 1)));

        store.revertTo(2, other);

        assertThat(store.flushedHeight()).isEqualTo(2);
        assertThat(store.reader().findAll("Item", Query.all())).as("variant %d", variant)
            .usingRecursiveFieldByFieldElementComparator().isEqualTo(expected);
        assertThat(store.changeSetsAbove(2)).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void changeSetsWrittenByTheFirstRelease_stillRollBack(TestDatabases db) throws Exception {
    String url = flushedDatabase(db, 4);
    overwriteChangeSet(url, 3, legacyEncoding(committed.get(3)));
    overwriteChangeSet(url, 4, legacyEncoding(committed.get(4)));
    SqlStateStore store = SqlStateStore.open(url);
    try (Sdb sdb = open(store)) {
      assertThat(store.reader().changeSet(4).orElseThrow().deltas())
          .isEqualTo(committed.get(4).deltas());

      sdb.rollbackBlock(2);

      assertThat(sdb.get("Item", Map.of("id", "a")).orElseThrow()).containsEntry("note", "n2");
      assertThat(sdb.get("Item", Map.of("id", "b")).orElseThrow()).containsEntry("qty", 5)
          .containsEntry("price", BigInteger.TEN.pow(30).subtract(BigInteger.valueOf(3)));
      assertThat(store.reader().findOne("Item", Map.of("id", "c")).orElseThrow())
          .containsEntry("qty", 2);
    }
  }

  /** Compressed compact bytes cut short: valid zlib, truncated deltas. */
  private byte[] truncatedCompact(ChangeSet set) {
    byte[] compact = dev.sdb.BinaryDeltas.encode(set.deltas());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(1);
    try (DeflaterOutputStream out = new DeflaterOutputStream(bytes)) {
      out.write(compact, 0, compact.length - 3);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static List<Object[]> unreadable() {
    return List.of(
        new Object[] {"an unknown format byte", new byte[] {9, 9, 9},
            "unknown change set encoding (first byte 9)"},
        new Object[] {"the compact format byte and no zlib stream", new byte[] {1, 9, 9, 9},
            null},
        new Object[] {"JSON's zlib byte and garbage", new byte[] {0x78, 1, 2}, null});
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void changeSetsCutShort_failTheRollback_andChangeNothing(TestDatabases db) throws Exception {
    String url = flushedDatabase(db, 3);
    for (Object[] bad : unreadable()) {
      overwriteChangeSet(url, 3, (byte[]) bad[1]);
      rollbackFailsAndChangesNothing(url, (String) bad[2]);
    }
    overwriteChangeSet(url, 3, truncatedCompact(committed.get(3)));
    rollbackFailsAndChangesNothing(url, null);
  }

  private void rollbackFailsAndChangesNothing(String url, String rootCause) {
    SqlStateStore store = SqlStateStore.open(url);
    try (Sdb sdb = open(store)) {
      var thrown = assertThatThrownBy(() -> sdb.rollbackBlock(1))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("change set of block 3 cannot be read");
      if (rootCause != null) {
        thrown.hasRootCauseMessage(rootCause);
      }
      assertThat(sdb.lastHeight()).isEqualTo(3);
      assertThat(sdb.get("Item", Map.of("id", "a")).orElseThrow()).containsEntry("note", "n3");
      assertThat(store.reader().findOne("Item", Map.of("id", "a")).orElseThrow())
          .containsEntry("note", "n3");
    }
  }
}
