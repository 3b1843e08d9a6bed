package dev.sdb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.BlockHeader;
import dev.sdb.Sdb;
import dev.sdb.StoreException;
import dev.sdb.schema.ColumnType;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SqlStoreTest {
  private static final ModelSchema ITEM_V1 = ModelSchema.builder("Item").memory()
      .string("id", 20).column("qty", ColumnType.INT).primaryKey("id").build();
  private static final ModelSchema ITEM_V2 = ModelSchema.builder("Item").memory()
      .string("id", 20).column("qty", ColumnType.INT)
      .column("price", ColumnType.BIG_INTEGER).defaultValue(7)
      .string("note", 50).nullable()
      .primaryKey("id").build();

  private static Sdb open(String url, ModelSchema model) {
    return dev.sdb.TestModels.builder(SqlStateStore.open(url), Schema.builder().model(model)
        .build()).manualFlush().open();
  }

  /**
   * An engine with its write-ahead log in {@code wal}. A test "crashes" it by dropping it after
   * closing its store's pools, as a process that dies loses its connections: nothing is flushed
   * and the log is left as it is.
   */
  private static Sdb openLogged(SqlStateStore store, ModelSchema model, java.nio.file.Path wal) {
    return Sdb.builder().schema(Schema.builder().model(model).build())
        .store(store).manualFlush().wal(wal).open();
  }

  /** A fresh database where release 1 ({@link #ITEM_V1}) flushed Item a with qty 1. */
  private static String itemAFlushed(TestDatabases db) {
    String url = db.freshUrl();
    try (Sdb v1 = open(url, ITEM_V1)) {
      block(v1, s -> s.create("Item", Map.of("id", "a", "qty", 1)));
      v1.flush();
    }
    return url;
  }

  private static void block(Sdb sdb, java.util.function.Consumer<Sdb> body) {
    long h = sdb.lastHeight() + 1;
    sdb.beginBlock(new BlockHeader(h, "b" + h, h == 0 ? null : "b" + (h - 1), h));
    body.accept(sdb);
    sdb.commitBlock();
  }

  /**
   * A server that stops answering (here: a table another session holds locked) fails the flush
   * after networkTimeout instead of holding it, and the writer behind it, forever; the blocks stay
   * queued and the next flush writes them. (The JUnit timeout only keeps a regression from hanging
   * the build.)
   */
  @ParameterizedTest
  @EnumSource(value = TestDatabases.class, names = {"POSTGRES", "MARIADB"})
  @org.junit.jupiter.api.Timeout(120)
  void aServerThatStopsAnswering_failsTheFlushAfterNetworkTimeout(TestDatabases db)
      throws Exception {
    String url = db.freshUrl();
    SqlStateStore store = SqlStateStore.builder(url)
        .networkTimeout(java.time.Duration.ofSeconds(1)).build();
    try (Sdb sdb = dev.sdb.TestModels.builder(store, Schema.builder().model(ITEM_V1).build())
        .manualFlush().open()) {
      block(sdb, s -> s.create("Item", Map.of("id", "a", "qty", 1)));
      try (Connection locker = DriverManager.getConnection(url);
          Statement st = locker.createStatement()) {
        locker.setAutoCommit(false);
        st.execute(db == TestDatabases.POSTGRES ? "LOCK TABLE item IN ACCESS EXCLUSIVE MODE"
            : "LOCK TABLES item WRITE");

        assertThatThrownBy(sdb::flush).isInstanceOf(StoreException.class)
            .hasMessageContaining("flush of blocks 0..0 failed");
        assertThat(sdb.stats().pendingBlocks()).isEqualTo(1);

        if (db == TestDatabases.MARIADB) {
          st.execute("UNLOCK TABLES");
        }
        locker.rollback();
      }
      sdb.flush();
      assertThat(store.reader().findOne("Item", Map.of("id", "a")).orElseThrow())
          .containsEntry("qty", 1);
    }
    assertThatThrownBy(() -> SqlStateStore.builder(url).networkTimeout(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("networkTimeout must be positive: PT0S");
  }

  @org.junit.jupiter.api.Test
  void urlsOfOtherDatabases_areRefusedWithWhatToWriteInstead() {
    assertThatThrownBy(() -> SqlStateStore.open("jdbc:mysql://127.0.0.1:3306/test?password=s3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("write jdbc:mariadb: instead of jdbc:mysql:")
        .hasMessageNotContaining("s3");
    String mariadb = TestDatabases.MARIADB.freshUrl();
    String mysqlScheme = mariadb.replace("jdbc:mariadb:", "jdbc:mysql:")
        + (mariadb.contains("?") ? "&" : "?") + "permitMysqlScheme";
    try (Sdb sdb = open(mysqlScheme, ITEM_V1)) { // the driver's option for this scheme
      block(sdb, s -> s.create("Item", Map.of("id", "a", "qty", 1)));
      sdb.flush();
      assertThat(sdb.flushedHeight()).isZero();
    }
    assertThatThrownBy(() -> SqlStateStore.open(
        "jdbc:mysql://127.0.0.1/test?permitMysqlScheme=false"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqlStateStore.open("jdbc:postgres://u:s3@127.0.0.1/test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unsupported JDBC URL 'jdbc:postgres://u:***@127.0.0.1/test'; use "
            + "jdbc:sqlite:, jdbc:postgresql: or jdbc:mariadb:");
    assertThatThrownBy(() -> SqlStateStore.open("jdbc:h2:mem:x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unsupported JDBC URL 'jdbc:h2:mem:x'; use jdbc:sqlite:, jdbc:postgresql: or "
            + "jdbc:mariadb:");
  }

  /** Generated index names that come out alike would make IF NOT EXISTS skip one silently. */
  @org.junit.jupiter.api.Test
  void indexNamesThatCollideAcrossTables_areRefusedBeforeAnyTableIsCreated() throws Exception {
    ModelSchema vote = ModelSchema.builder("Vote").string("id", 10).primaryKey("id")
        .string("delegate_id", 10).indexed().build();
    ModelSchema voteDelegate = ModelSchema.builder("VoteDelegate").string("key", 10)
        .primaryKey("key").string("id", 10).indexed().build();
    String url = TestDatabases.SQLITE.freshUrl();
    SqlStateStore store = SqlStateStore.open(url);
    try {
      assertThatThrownBy(() -> store.open(Schema.builder().model(vote).model(voteDelegate).build()))
          .isInstanceOf(dev.sdb.schema.SchemaException.class)
          .hasMessageContaining("Vote and VoteDelegate").hasMessageContaining("ix_vote_delegate_id");
      // names that differ only in case are the same name to SQLite and MariaDB
      ModelSchema shouting = ModelSchema.builder("Shouting").table("VOTE_DELEGATE")
          .string("key", 10).primaryKey("key").string("ID", 10).indexed().build();
      assertThatThrownBy(() -> store.open(Schema.builder().model(vote).model(shouting).build()))
          .isInstanceOf(dev.sdb.schema.SchemaException.class)
          .hasMessageContaining("Vote and Shouting").hasMessageContaining("ix_VOTE_DELEGATE_ID");
    } finally {
      store.close();
    }
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @org.junit.jupiter.api.Test
  void builderSettings_outOfRange_areRejectedWithTheirName() {
    assertThatThrownBy(() -> SqlStateStore.builder("jdbc:sqlite:x.db").sqliteCacheMb(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("sqliteCacheMb must be positive: 0");
    assertThatThrownBy(() -> SqlStateStore.builder("jdbc:sqlite:x.db").readPoolSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("readPoolSize must be positive: 0");
    assertThatThrownBy(() -> SqlStateStore.builder("jdbc:sqlite:x.db").historyDepth(5)
        .historyDepth(10)).isInstanceOf(IllegalStateException.class)
        .hasMessage("historyDepth was already set");
    assertThatThrownBy(() -> SqlStateStore.builder("jdbc:sqlite:x.db").user("a").user("b"))
        .isInstanceOf(IllegalStateException.class).hasMessage("user was already set");
  }

  @org.junit.jupiter.api.Test
  void aBlockPreparedAfterItsFlush_leavesNoEncodingBehind() {
    java.util.List<dev.sdb.ChangeSet> sets = new java.util.ArrayList<>();
    SqlStateStore store = SqlStateStore.open(TestDatabases.SQLITE.freshUrl());
    try (Sdb sdb = dev.sdb.TestModels.builder(store, Schema.builder().model(ITEM_V1).build())
        .manualFlush().listener(new dev.sdb.SdbListener() {
          @Override
          public void blockCommitted(dev.sdb.ChangeSet set) {
            sets.add(set);
          }
        }).open()) {
      block(sdb, s -> s.create("Item", Map.of("id", "a", "qty", 1)));
      block(sdb, s -> s.create("Item", Map.of("id", "b", "qty", 1)));
      store.prepare(sets.get(0)); // in time: the flush uses it
      store.finishPreparing(sets.get(0));
      assertThat(store.preparedHistoryCount()).isOne();
      sdb.flush();
      assertThat(store.preparedHistoryCount()).isZero();
      store.prepare(sets.get(1)); // too late: the flusher thread lagged behind a flush
      store.finishPreparing(sets.get(1));
      assertThat(store.preparedHistoryCount()).isZero();
    }
  }

  @org.junit.jupiter.api.Test
  void aFlushInsertsInPrimaryKeyOrder_whateverTheOrderOfTheCreates() throws Exception {
    String url = TestDatabases.SQLITE.freshUrl();
    try (Sdb sdb = open(url, ITEM_V1)) {
      block(sdb, s -> {
        for (String id : java.util.List.of("m", "z", "a", "q", "b")) {
          s.create("Item", Map.of("id", id, "qty", 1));
        }
      });
      sdb.flush();
    }
    // SQLite numbers the rows of a table without an INTEGER PRIMARY KEY in insertion order.
    java.util.List<String> inserted = new java.util.ArrayList<>();
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT id FROM item ORDER BY rowid")) {
      while (rs.next()) {
        inserted.add(rs.getString(1));
      }
    }
    assertThat(inserted).containsExactly("a", "b", "m", "q", "z");
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void migration_addsNewColumnsWithTheirDefaults_andKeepsRows(TestDatabases db) {
    String url = db.freshUrl();
    try (Sdb v1 = open(url, ITEM_V1)) {
      block(v1, s -> s.create("Item", Map.of("id", "a", "qty", 1)));
    }

    try (Sdb v2 = open(url, ITEM_V2)) {
      assertThat(v2.lastHeight()).isZero();
      assertThat(v2.get("Item", Map.of("id", "a")).orElseThrow())
          .containsEntry("qty", 1).containsEntry("price", java.math.BigInteger.valueOf(7))
          .containsEntry("note", null).containsEntry("_version_", 1L);
      block(v2, s -> s.update("Item", Map.of("note", "n", "price", 8), Map.of("id", "a")));
    }

    ModelSchema notNullWithoutDefault = ModelSchema.builder("Item").memory()
        .string("id", 20).column("qty", ColumnType.INT).column("extra", ColumnType.INT)
        .primaryKey("id").build();
    assertThatThrownBy(() -> open(url, notNullWithoutDefault))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("Item needs column 'extra', which is NOT NULL without a default");
  }

  private static ModelSchema named(int nameLength, boolean nameNullable, boolean legacy) {
    ModelSchema.Builder b = ModelSchema.builder("Item").memory()
        .string("id", 20).column("qty", ColumnType.INT).string("name", nameLength);
    if (nameNullable) {
      b.nullable();
    }
    if (legacy) {
      b.column("legacy", ColumnType.INT);
    }
    return b.primaryKey("id").build();
  }

  /**
   * A string declared longer in a later release takes the longer values, flushed and reloaded,
   * and keeps its nullability: NOT NULL stays NOT NULL, a nullable one still takes NULL.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void migration_widensAStringColumnDeclaredLonger(TestDatabases db) throws SQLException {
    for (boolean nullable : new boolean[] {false, true}) {
      String url = db.freshUrl();
      try (Sdb v1 = open(url, named(5, nullable, false))) {
        block(v1, s -> s.create("Item", Map.of("id", "a", "qty", 1, "name", "short")));
      }
      String longName = "a name of thirty characters..";
      try (Sdb v2 = open(url, named(30, nullable, false))) {
        block(v2, s -> s.create("Item", Map.of("id", "b", "qty", 2, "name", longName)));
        if (nullable) {
          block(v2, s -> s.create("Item", Map.of("id", "c", "qty", 3)));
        }
      } // close flushes
      try (Sdb v2 = open(url, named(30, nullable, false))) {
        assertThat(v2.get("Item", Map.of("id", "b")).orElseThrow())
            .containsEntry("name", longName);
        assertThat(v2.get("Item", Map.of("id", "a")).orElseThrow())
            .containsEntry("name", "short");
        assertThat(v2.has("Item", Map.of("id", "c"))).isEqualTo(nullable);
      }
      if (!nullable) {
        try (Connection c = DriverManager.getConnection(url);
            PreparedStatement ps = c.prepareStatement(
                "INSERT INTO item (id, qty, name, _version_) VALUES ('n', 1, NULL, 1)")) {
          assertThatThrownBy(ps::executeUpdate).isInstanceOf(SQLException.class);
        }
      }
    }
  }

  /**
   * A column declared nullable in a later release, and a NOT NULL column without a default that
   * a later release no longer declares, lose their NOT NULL: the new release's rows can be
   * flushed, and the old values stay.
   */
  @ParameterizedTest
  @EnumSource(value = TestDatabases.class, names = {"POSTGRES", "MARIADB"})
  void migration_dropsNotNullOfColumnsDeclaredNullableOrNoLongerDeclared(TestDatabases db)
      throws SQLException {
    String url = db.freshUrl();
    try (Sdb v1 = open(url, named(5, false, true))) {
      block(v1, s -> s.create("Item", Map.of("id", "a", "qty", 1, "name", "short", "legacy", 9)));
    }
    ModelSchema v2Model = named(10, true, false);
    try (Sdb v2 = open(url, v2Model)) {
      block(v2, s -> s.create("Item", Map.of("id", "b", "qty", 2)));
    }
    try (Sdb v2 = open(url, v2Model)) {
      assertThat(v2.get("Item", Map.of("id", "b")).orElseThrow()).containsEntry("name", null);
    }
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT id, legacy FROM item ORDER BY id")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt("legacy")).isEqualTo(9);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getObject("legacy")).isNull();
    }
  }

  /**
   * A release that removes a property still replays the log and rolls back blocks recorded
   * before it: their changes of the removed column are left out, the rest are undone.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void migration_aReleaseThatRemovesAColumn_stillRollsBackBlocksRecordedBeforeIt(TestDatabases db)
      throws Exception {
    String url = db.freshUrl();
    java.nio.file.Path wal = java.nio.file.Files.createTempDirectory("sdb-removed-column-wal");
    SqlStateStore v2Store = SqlStateStore.open(url);
    Sdb v2 = openLogged(v2Store, ITEM_V2, wal);
    block(v2, s -> s.create("Item", Map.of("id", "a", "qty", 1, "note", "n0")));
    block(v2, s -> s.update("Item", Map.of("qty", 2, "note", "n1"), Map.of("id", "a")));
    block(v2, s -> s.update("Item", Map.of("note", "n2"), Map.of("id", "a")));
    v2.flush();
    block(v2, s -> s.update("Item", Map.of("qty", 3, "note", "n3"), Map.of("id", "a"))); // logged
    v2Store.close(); // v2 crashes here; v3 no longer declares note.
    ModelSchema itemV3 = ModelSchema.builder("Item").memory().string("id", 20)
        .column("qty", ColumnType.INT).column("price", ColumnType.BIG_INTEGER).defaultValue(7)
        .primaryKey("id").build();

    SqlStateStore store = SqlStateStore.open(url);
    try (Sdb v3 = Sdb.builder().schema(Schema.builder().model(itemV3).build()).store(store)
        .manualFlush().wal(wal).open()) {
      assertThat(v3.lastHeight()).isEqualTo(3);
      assertThat(v3.get("Item", Map.of("id", "a")).orElseThrow())
          .containsEntry("qty", 3).containsEntry("_version_", 4L).doesNotContainKey("note");

      v3.rollbackBlock(0); // block 3 in memory, blocks 2 and 1 in the database too

      assertThat(v3.get("Item", Map.of("id", "a")).orElseThrow())
          .containsEntry("qty", 1).containsEntry("_version_", 1L);
      assertThat(store.reader().findOne("Item", Map.of("id", "a")).orElseThrow())
          .containsEntry("qty", 1).containsEntry("_version_", 1L);
      assertThat(store.reader().flushedHeight()).isZero();
    }
  }

  /**
   * A property declared with a type its column cannot hold is refused at open: otherwise the
   * first flush of a value the column cannot take would fail, and every flush after it.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void migration_refusesAtOpenAColumnThatCannotHoldTheDeclaredType(TestDatabases db)
      throws SQLException {
    String url = itemAFlushed(db);
    ModelSchema qtyAsText = ModelSchema.builder("Item").memory().string("id", 20)
        .string("qty", 20).primaryKey("id").build();
    assertThatThrownBy(() -> open(url, qtyAsText))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("migration of Item: column 'qty' of table item is ")
        .hasMessageContaining("which cannot hold the STRING that Item.qty is declared as; SDB "
            + "does not change a column's type");
    ModelSchema qtyAsLong = ModelSchema.builder("Item").memory().string("id", 20)
        .column("qty", ColumnType.LONG).primaryKey("id").build();
    if (db == TestDatabases.SQLITE) { // every SQLite integer has 64 bits
      try (Sdb wider = open(url, qtyAsLong)) {
        block(wider, s -> s.update("Item", Map.of("qty", Long.MAX_VALUE), Map.of("id", "a")));
        wider.flush();
      }
    } else {
      assertThatThrownBy(() -> open(url, qtyAsLong)).isInstanceOf(StoreException.class)
          .hasMessageContaining("which cannot hold the LONG that Item.qty is declared as");
      try (Sdb v1 = open(url, ITEM_V1)) { // the refused opens changed nothing
        assertThat(v1.get("Item", Map.of("id", "a")).orElseThrow()).containsEntry("qty", 1);
      }
    }
    // narrower: a long column's wide values would be cut when read as int (SQLite: silently)
    ModelSchema counter = ModelSchema.builder("Counter").memory().string("id", 20)
        .column("n", ColumnType.LONG).primaryKey("id").build();
    try (Sdb v1 = open(url, counter)) {
      block(v1, s -> s.create("Counter", Map.of("id", "c", "n", Long.MAX_VALUE)));
      v1.flush();
    }
    ModelSchema counterAsInt = ModelSchema.builder("Counter").memory().string("id", 20)
        .column("n", ColumnType.INT).primaryKey("id").build();
    assertThatThrownBy(() -> open(url, counterAsInt)).isInstanceOf(StoreException.class)
        .hasMessageContaining("which cannot hold the INT that Counter.n is declared as");
    if (db != TestDatabases.SQLITE) { // a decimal of 20 digits for a big integer of up to 65
      try (Sdb v2 = open(url, ITEM_V2)) { // adds price as SDB makes it
        assertThat(v2.get("Item", Map.of("id", "a")).orElseThrow())
            .containsEntry("price", java.math.BigInteger.valueOf(7));
      }
      try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
        st.execute(db == TestDatabases.POSTGRES
            ? "ALTER TABLE item ALTER COLUMN price TYPE numeric(20, 0)"
            : "ALTER TABLE item MODIFY price DECIMAL(20, 0) NOT NULL DEFAULT 7");
      }
      assertThatThrownBy(() -> open(url, ITEM_V2)).isInstanceOf(StoreException.class)
          .hasMessageContaining("which cannot hold the BIG_INTEGER that Item.price is declared as");
    }
  }

  /**
   * qty and Qty are one column on SQLite and MariaDB, two on PostgreSQL (SDB quotes names): a
   * property renamed only in case keeps its column where the database says it is the same one.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void migration_aPropertyRenamedOnlyInCase_isTheColumnWhereTheDatabaseSaysSo(TestDatabases db)
      throws SQLException {
    String url = itemAFlushed(db);
    ModelSchema renamed = ModelSchema.builder("Item").memory().string("id", 20)
        .column("Qty", ColumnType.INT).defaultValue(0).primaryKey("id").build();
    try (Sdb v2 = open(url, renamed)) {
      assertThat(v2.get("Item", Map.of("id", "a")).orElseThrow())
          .containsEntry("Qty", db == TestDatabases.POSTGRES ? 0 : 1);
      block(v2, s -> s.update("Item", Map.of("Qty", 5), Map.of("id", "a")));
      v2.flush();
    }
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery(db == TestDatabases.POSTGRES
            ? "SELECT qty, \"Qty\" FROM item" : "SELECT qty FROM item")) {
      rs.next();
      if (db == TestDatabases.POSTGRES) {
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.getInt(2)).isEqualTo(5);
      } else {
        assertThat(rs.getInt(1)).isEqualTo(5);
      }
    }
  }

  /**
   * SQLite keeps any 64-bit integer in an INTEGER column. A value beyond an INT property's range
   * that something other than SDB wrote there is refused where it is read, naming the model, the
   * key and the property, instead of coming back cut to its low 32 bits.
   */
  @org.junit.jupiter.api.Test
  void anIntColumnHoldingMoreThanAnInt_onSqlite_isRefusedWhereItIsRead() throws Exception {
    String url = TestDatabases.SQLITE.freshUrl();
    try (Sdb v1 = open(url, ITEM_V1)) {
      block(v1, s -> s.create("Item", Map.of("id", "a", "qty", 1)));
      v1.flush();
    }
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      assertThat(st.executeUpdate("UPDATE item SET qty = 3000000000 WHERE id = 'a'")).isEqualTo(1);
    }

    assertThatThrownBy(() -> open(url, ITEM_V1)) // a memory model: loaded at the start
        .isInstanceOf(StoreException.class).hasMessage("loading Item failed")
        .satisfies(e -> assertThat(e.getCause()).hasMessage("Item{id=a}.qty: the stored value "
            + "does not fit: 'qty' holds 3000000000, beyond the range of an INT property"));
    ModelSchema normalItem = ModelSchema.builder("Item").string("id", 20)
        .column("qty", ColumnType.INT).primaryKey("id").build();
    SqlStateStore store = SqlStateStore.open(url);
    try (Sdb sdb = dev.sdb.TestModels.builder(store, Schema.builder().model(normalItem).build())
        .manualFlush().open()) { // a normal model: read on a cache miss
      assertThatThrownBy(() -> sdb.load("Item", Map.of("id", "a")))
          .isInstanceOf(StoreException.class)
          .satisfies(e -> assertThat(e.getCause()).hasMessage("Item{id=a}.qty: the stored value "
              + "does not fit: 'qty' holds 3000000000, beyond the range of an INT property"));
      assertThatThrownBy(() -> store.reader().findOne("Item", Map.of("id", "a")))
          .isInstanceOf(StoreException.class)
          .hasRootCauseMessage("'qty' holds 3000000000, beyond the range of an INT property");
    }
  }

  /** SQLite cannot drop a NOT NULL: the release that needs it is refused at open, not at a flush. */
  @org.junit.jupiter.api.Test
  void migration_onSqlite_refusesAtOpenWhatWouldNeedANotNullDropped() {
    String url = TestDatabases.SQLITE.freshUrl();
    try (Sdb v1 = open(url, named(5, false, true))) {
      block(v1, s -> s.create("Item", Map.of("id", "a", "qty", 1, "name", "short", "legacy", 9)));
    }
    assertThatThrownBy(() -> open(url, named(5, false, false)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("column 'legacy' of table item is NOT NULL without a default and "
            + "no longer a property of Item")
        .hasMessageContaining("SQLite cannot drop a NOT NULL");
    assertThatThrownBy(() -> open(url, named(5, true, true)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("column 'name' of table item is NOT NULL and now declared nullable");
    try (Sdb v1 = open(url, named(5, false, true))) { // the refused opens changed nothing
      assertThat(v1.get("Item", Map.of("id", "a")).orElseThrow()).containsEntry("legacy", 9);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void anUpgradeAfterACrash_replaysLoggedCreatesWithTheNewColumnsDefaults(TestDatabases db)
      throws Exception {
    String url = db.freshUrl();
    java.nio.file.Path wal = java.nio.file.Files.createTempDirectory("sdb-upgrade-wal");
    SqlStateStore v1Store = SqlStateStore.open(url);
    Sdb v1 = openLogged(v1Store, ITEM_V1, wal);
    block(v1, s -> s.create("Item", Map.of("id", "a", "qty", 1)));
    v1.flush();
    block(v1, s -> s.create("Item", Map.of("id", "b", "qty", 2))); // logged, never flushed
    v1Store.close(); // v1 crashes here, without a flush. v2 adds price (NOT NULL, default 7).

    SqlStateStore store = SqlStateStore.open(url);
    try (Sdb v2 = Sdb.builder().schema(Schema.builder().model(ITEM_V2).build()).store(store)
        .manualFlush().wal(wal).open()) {
      assertThat(v2.lastHeight()).isEqualTo(1);
      assertThat(v2.get("Item", Map.of("id", "b")).orElseThrow())
          .containsEntry("price", java.math.BigInteger.valueOf(7)).containsEntry("note", null);
      v2.flush();
      assertThat(store.reader().findOne("Item", Map.of("id", "b")).orElseThrow())
          .containsEntry("qty", 2).containsEntry("price", java.math.BigInteger.valueOf(7));
      v2.rollbackBlock(0); // undoes the replayed create in the database too
      assertThat(store.reader().findOne("Item", Map.of("id", "b"))).isEmpty();
    }
  }

  /**
   * A log kept beside another database at the same height (here: the same tables with another
   * block 0, as a restored backup of another fork would have) is refused, not replayed onto it.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void start_withTheLogOfAnotherChain_isRefused(TestDatabases db) throws Exception {
    String url = db.freshUrl();
    java.nio.file.Path wal = java.nio.file.Files.createTempDirectory("sdb-other-wal");
    Schema items = Schema.builder().model(ITEM_V1).build();
    SqlStateStore crashedStore = SqlStateStore.open(url);
    Sdb crashed = openLogged(crashedStore, ITEM_V1, wal);
    block(crashed, s -> s.create("Item", Map.of("id", "a", "qty", 1)));
    crashed.flush();
    block(crashed, s -> s.create("Item", Map.of("id", "b", "qty", 2))); // logged, never flushed
    crashedStore.close(); // the crash
    setBlockId(url, "other-0");

    assertThatThrownBy(() -> Sdb.builder().schema(items).store(SqlStateStore.open(url))
        .manualFlush().wal(wal).open()).isInstanceOf(dev.sdb.StoreException.class)
        .hasMessageContaining("belongs to another chain")
        .hasMessageContaining("follows block 'b0', but the store's block 0 is 'other-0'");

    setBlockId(url, "b0");
    try (Sdb recovered = Sdb.builder().schema(items).store(SqlStateStore.open(url)).manualFlush()
        .wal(wal).open()) {
      assertThat(recovered.lastHeight()).isEqualTo(1);
      assertThat(recovered.get("Item", Map.of("id", "b"))).isPresent();
    }
  }

  /**
   * A flush whose COMMIT went unanswered may still be committing on the server. A rollback asks
   * the store which blocks that flush left there ({@code holding}); it must wait for such a
   * transaction, not take "not there yet" for "no". Here a second session holds block 1's row
   * uncommitted, as that flush would, and then commits it or rolls it back.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  @org.junit.jupiter.api.Timeout(120)
  void holding_waitsForAFlushTheServerIsStillCommitting(TestDatabases db) throws Exception {
    for (boolean commits : new boolean[] {true, false}) {
      String url = db.freshUrl();
      SqlStateStore store = SqlStateStore.open(url);
      List<dev.sdb.ChangeSet> committed = new java.util.ArrayList<>();
      try (Sdb sdb = dev.sdb.TestModels.builder(store, Schema.builder().model(ITEM_V1).build())
          .manualFlush().listener(new dev.sdb.SdbListener() {
            @Override
            public void blockCommitted(dev.sdb.ChangeSet changeSet) {
              committed.add(changeSet);
            }
          }).open();
          Connection pending = DriverManager.getConnection(url)) {
        block(sdb, s -> s.create("Item", Map.of("id", "a", "qty", 1)));
        sdb.flush();
        block(sdb, s -> s.update("Item", Map.of("qty", 2), Map.of("id", "a")));
        dev.sdb.ChangeSet one = committed.get(1);
        pending.setAutoCommit(false);
        try (PreparedStatement ps = pending.prepareStatement(
            "INSERT INTO sdb_block VALUES (?, ?, ?, ?, ?)")) {
          ps.setLong(1, 1);
          ps.setString(2, one.block().id());
          ps.setString(3, one.block().prevBlockId());
          ps.setLong(4, one.block().timestamp());
          ps.setString(5, "{}");
          assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        java.util.concurrent.ExecutorService asker =
            java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
          java.util.concurrent.Future<Integer> held = asker.submit(
              () -> store.holding(List.of(one)));
          Thread.sleep(500);
          assertThat(held).as(db + ": waits for the pending transaction").isNotDone();
          if (commits) {
            pending.commit();
          } else {
            pending.rollback();
          }
          assertThat(held.get(60, java.util.concurrent.TimeUnit.SECONDS))
              .as(db + (commits ? ": it committed" : ": it rolled back"))
              .isEqualTo(commits ? 1 : 0);
          assertThat(store.flushedHeight()).isEqualTo(commits ? 1 : 0);
        } finally {
          asker.shutdownNow();
        }
      }
    }
  }

  private static void setBlockId(String url, String id) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps = c.prepareStatement("UPDATE sdb_block SET id = ? WHERE height = 0")) {
      ps.setString(1, id);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  /** A store whose third pool cannot connect closes the two it opened before it fails. */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aPoolThatCannotConnect_leavesNoPoolOpen(TestDatabases db) {
    String url = db.freshUrl();
    long writers = housekeepers("sdb-write");
    long lookups = housekeepers("sdb-lookup");
    SqlStateStore.failPoolForTest = "sdb-read";
    try {
      assertThatThrownBy(() -> SqlStateStore.open(url))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("(pool sdb-read)");
    } finally {
      SqlStateStore.failPoolForTest = null;
    }
    // (a closed pool's thread ends shortly after close(): poll, and allow fewer than before)
    long deadline = System.nanoTime() + 5_000_000_000L;
    while ((housekeepers("sdb-write") > writers || housekeepers("sdb-lookup") > lookups)
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(housekeepers("sdb-write")).as("the write pool's thread")
        .isLessThanOrEqualTo(writers);
    assertThat(housekeepers("sdb-lookup")).as("the lookup pool's thread")
        .isLessThanOrEqualTo(lookups);
    SqlStateStore.open(url).close(); // and the database is fine for the next try
  }

  /** Live threads of HikariCP's housekeeper for pools of this name. */
  private static long housekeepers(String pool) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(pool + " housekeeper")).count();
  }

  private static Sdb openItems(SqlStateStore store) {
    return dev.sdb.TestModels.builder(store, Schema.builder().model(ITEM_V1).build())
        .manualFlush().open();
  }

  /**
   * The engine's lookups keep their prepared statements on one connection; when the server drops
   * it (a restart, an idle timeout), the next cache miss must still read the row, on a new one.
   */
  @ParameterizedTest
  @EnumSource(value = TestDatabases.class, names = {"POSTGRES", "MARIADB"})
  void aCacheMiss_afterTheServerDroppedTheConnections_readsTheRowOnANewOne(TestDatabases db)
      throws SQLException {
    String url = db.freshUrl();
    ModelSchema cached = ModelSchema.builder("Item").maxCached(1)
        .string("id", 20).column("qty", ColumnType.INT).primaryKey("id").build();
    try (Sdb sdb = open(url, cached)) {
      block(sdb, s -> {
        s.create("Item", Map.of("id", "a", "qty", 1));
        s.create("Item", Map.of("id", "b", "qty", 2));
      });
    }
    try (Sdb sdb = open(url, cached)) {
      assertThat(sdb.load("Item", Map.of("id", "a")).orElseThrow()).containsEntry("qty", 1);
      dropOtherConnections(db, url);
      assertThat(sdb.load("Item", Map.of("id", "b")).orElseThrow()).containsEntry("qty", 2);
      assertThat(sdb.stats().cacheMisses()).isEqualTo(2);
    }
  }

  /** Ends every connection to the test database but the one that asks. */
  private static void dropOtherConnections(TestDatabases db, String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      if (db == TestDatabases.POSTGRES) {
        st.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            + "WHERE datname = current_database() AND pid <> pg_backend_pid()").close();
        return;
      }
      List<Long> ids = new java.util.ArrayList<>();
      try (java.sql.ResultSet rs = st.executeQuery("SELECT id FROM information_schema.processlist "
          + "WHERE db = DATABASE() AND id <> CONNECTION_ID()")) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      for (long id : ids) {
        st.execute("KILL CONNECTION " + id);
      }
    }
  }

  /** An Error in the middle of a flush, as an OutOfMemoryError would be. */
  private static final class SimulatedError extends Error {}

  /**
   * An Error in the middle of a flush (after the rows, before the block headers) must roll the
   * transaction back: committing the rows without their block would make every later flush, and
   * the log's replay after a restart, collide with them.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void anErrorInTheMiddleOfAFlush_commitsNothing(TestDatabases db) throws SQLException {
    String url = db.freshUrl();
    Sdb sdb = Sdb.builder().schema(Schema.builder().model(ITEM_V1).build())
        .store(SqlStateStore.open(url)).noWal().manualFlush().open();
    try {
      sdb.beginBlock(new BlockHeader(0, "b0", null, 0));
      sdb.create("Item", Map.of("id", "a", "qty", 1));
      sdb.commitBlock();
      SqlStateStore.errorBeforeNextBlocksForTest = new SimulatedError();
      assertThatThrownBy(sdb::flush).isInstanceOf(SimulatedError.class);
    } finally {
      SqlStateStore.errorBeforeNextBlocksForTest = null;
      sdb.rollbackBlock(-1);
      sdb.close();
    }
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      for (String table : List.of("item", "sdb_block")) {
        try (java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
          rs.next();
          assertThat(rs.getInt(1)).as(table).isZero();
        }
      }
    }
  }

  /** Someone changes the table behind SDB's back. */
  private static void deleteBehindSdb(String url, String id) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps = c.prepareStatement("DELETE FROM item WHERE id = ?")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
  }

  /**
   * MariaDB's driver splits a batch where a value changes from null to a string into two commands
   * and then reports the first one's count as the batch's: a correct flush must still succeed.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void flush_ofUpdatesFromNullToValues_succeeds(TestDatabases db) throws SQLException {
    String url = db.freshUrl();
    try (Sdb sdb = open(url, ITEM_V2)) {
      block(sdb, s -> {
        for (String id : List.of("a", "b", "c", "d")) {
          s.create("Item", Map.of("id", id, "qty", 1, "note", "old"));
        }
      });
      sdb.flush();
      block(sdb, s -> {
        Map<String, Object> none = new java.util.HashMap<>();
        none.put("note", null);
        s.update("Item", none, Map.of("id", "a"));
        for (String id : List.of("b", "c", "d")) {
          s.update("Item", Map.of("note", "new " + id), Map.of("id", id));
        }
      });
      sdb.flush();
    }
    List<String> notes = new java.util.ArrayList<>();
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT note FROM item ORDER BY id")) {
      while (rs.next()) {
        notes.add(rs.getString(1));
      }
    }
    assertThat(notes).containsExactly(null, "new b", "new c", "new d");
  }

  /** A batch of several rows: MariaDB reports only the batch's total, which must be checked. */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void flush_ofABatchWithARowDeletedBehindSdb_failsAndChangesNothing(TestDatabases db)
      throws Exception {
    String url = db.freshUrl();
    SqlStateStore store = SqlStateStore.open(url);
    Sdb sdb = openItems(store);
    block(sdb, s -> {
      for (String id : List.of("a", "b", "c")) {
        s.create("Item", Map.of("id", id, "qty", 1));
      }
    });
    sdb.flush();
    block(sdb, s -> {
      for (String id : List.of("a", "b", "c")) {
        s.increase("Item", Map.of("qty", 1), Map.of("id", id));
      }
    });
    deleteBehindSdb(url, "b");

    assertThatThrownBy(sdb::flush).isInstanceOf(StoreException.class)
        .rootCause().hasMessageContaining("UPDATE of ").hasMessageContaining("Item")
        .hasMessageContaining("the database differs from SDB's memory");
    assertThat(store.reader().findAll("Item", Query.all())).extracting(r -> r.get("qty"))
        .containsExactly(1, 1);
    assertThat(sdb.stats().pendingBlocks()).isEqualTo(1);
    assertThatThrownBy(sdb::close).isInstanceOf(StoreException.class);
  }

  /** Deletes in one batch, one of whose rows is gone already: MariaDB reports no row counts. */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void flush_ofDeletesWithARowDeletedBehindSdb_failsAndChangesNothing(TestDatabases db)
      throws Exception {
    String url = db.freshUrl();
    SqlStateStore store = SqlStateStore.open(url);
    Sdb sdb = openItems(store);
    block(sdb, s -> {
      for (String id : List.of("a", "b", "c", "d")) {
        s.create("Item", Map.of("id", id, "qty", 1));
      }
    });
    sdb.flush();
    block(sdb, s -> {
      for (String id : List.of("a", "b", "c", "d")) {
        s.del("Item", Map.of("id", id));
      }
    });
    deleteBehindSdb(url, "a");

    assertThatThrownBy(sdb::flush).isInstanceOf(StoreException.class)
        .rootCause().hasMessageContaining("DELETE of ").hasMessageContaining("Item")
        .hasMessageContaining("the database differs from SDB's memory");
    assertThat(store.reader().findAll("Item", Query.all())).extracting(r -> r.get("id"))
        .containsExactly("b", "c", "d");
    assertThat(sdb.stats().pendingBlocks()).isEqualTo(1);
    assertThatThrownBy(sdb::close).isInstanceOf(StoreException.class);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void failedFlush_leavesTheDatabaseAtThePreviousFlush_andKeepsTheBlocksQueued(TestDatabases db)
      throws Exception {
    String url = db.freshUrl();
    SqlStateStore store = SqlStateStore.open(url);
    Sdb sdb = openItems(store);
    block(sdb, s -> {
      s.create("Item", Map.of("id", "a", "qty", 1));
      s.create("Item", Map.of("id", "b", "qty", 1));
    });
    sdb.flush();
    block(sdb, s -> s.create("Item", Map.of("id", "c", "qty", 1)));
    block(sdb, s -> s.increase("Item", Map.of("qty", 1), Map.of("id", "b")));
    deleteBehindSdb(url, "b");

    assertThatThrownBy(sdb::flush).isInstanceOf(StoreException.class)
        .hasRootCauseInstanceOf(StoreException.class)
        .rootCause().hasMessageContaining("UPDATE of Item{id=b} affected 0 rows, expected 1");

    SdbReader reader = store.reader();
    assertThat(reader.flushedHeight()).isZero();
    assertThat(reader.findAll("Item", Query.all())).extracting(r -> r.get("id"))
        .containsExactly("a");
    assertThat(sdb.stats().pendingBlocks()).isEqualTo(2);
    assertThatThrownBy(sdb::close).isInstanceOf(StoreException.class);
  }

  /** D0 and D1 swap their unique usernames through a temporary one. */
  private static void swapUsernamesOfD0AndD1(Sdb s) {
    s.update("Delegate", Map.of("username", "tmp"), Map.of("address", "D0"));
    s.update("Delegate", Map.of("username", "a"), Map.of("address", "D1"));
    s.update("Delegate", Map.of("username", "b"), Map.of("address", "D0"));
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void flush_uniqueValuesSwappedBetweenRows_areWrittenInOrder(TestDatabases db) {
    SqlStateStore store = db.freshStore();
    try (Sdb sdb = dev.sdb.TestModels.builder(store, dev.sdb.TestModels.schema()).manualFlush()
        .open()) {
      block(sdb, s -> {
        s.create("Delegate", Map.of("address", "D0", "username", "a"));
        s.create("Delegate", Map.of("address", "D1", "username", "b"));
      });
      sdb.flush();
      block(sdb, SqlStoreTest::swapUsernamesOfD0AndD1);
      sdb.flush();

      assertThat(store.reader().findAll("Delegate", Query.all().fields("address", "username")))
          .extracting(r -> r.get("address") + "=" + r.get("username"))
          .containsExactly("D0=b", "D1=a");
      assertThat(store.reader().flushedHeight()).isEqualTo(1);
    }
  }

  /**
   * Rolling back flushed blocks in which unique values moved between rows (a swap through a
   * temporary value, a rename chain): restoring the rows in key order would collide, so the
   * store must undo them delta by delta.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void rollbackOfFlushedBlocks_whereUniqueValuesMovedBetweenRows_restoresThem(TestDatabases db) {
    SqlStateStore store = db.freshStore();
    try (Sdb sdb = dev.sdb.TestModels.builder(store, dev.sdb.TestModels.schema()).manualFlush()
        .open()) {
      block(sdb, s -> {
        s.create("Delegate", Map.of("address", "D0", "username", "a"));
        s.create("Delegate", Map.of("address", "D1", "username", "b"));
        s.create("Delegate", Map.of("address", "D2", "username", "x"));
      });
      sdb.flush();
      block(sdb, SqlStoreTest::swapUsernamesOfD0AndD1);
      block(sdb, s -> { // a chain: D1 gives "a" up and D2 takes it; undone in key order, D1
        // would take "a" back before D2 has left it
        s.update("Delegate", Map.of("username", "c"), Map.of("address", "D1"));
        s.update("Delegate", Map.of("username", "a"), Map.of("address", "D2"));
      });
      sdb.flush();

      sdb.rollbackBlock(0);

      assertThat(store.reader().findAll("Delegate", Query.all().fields("address", "username")))
          .extracting(r -> r.get("address") + "=" + r.get("username"))
          .containsExactly("D0=a", "D1=b", "D2=x");
      assertThat(store.reader().flushedHeight()).isZero();
      assertThat(sdb.load("Delegate", Map.of("username", "a")).orElseThrow())
          .containsEntry("address", "D0");
      block(sdb, s -> s.update("Delegate", Map.of("username", "y"), Map.of("address", "D2")));
      sdb.flush();
      assertThat(store.reader().flushedHeight()).isEqualTo(1);
    }
  }

  /**
   * Keys that differ only in case or in trailing spaces are different keys in SDB's memory, so
   * they must be on every database too (MariaDB's usual collations would make them collide), and
   * the reader must tell them apart; $like is case-sensitive and takes backslash escapes.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void keysDifferingInCaseOrTrailingSpaces_areDistinctRows_andLikeIsCaseSensitive(
      TestDatabases db) {
    String url = db.freshUrl();
    List<String> ids = List.of("abc", "ABC", "abc ", "a%c", "aXc");
    try (Sdb sdb = open(url, ITEM_V1)) {
      block(sdb, s -> {
        for (int i = 0; i < ids.size(); i++) {
          s.create("Item", Map.of("id", ids.get(i), "qty", i));
        }
      });
    }
    SqlStateStore store = SqlStateStore.open(url);
    try (Sdb sdb = dev.sdb.TestModels.builder(store, Schema.builder().model(ITEM_V1).build())
        .manualFlush().open()) {
      SdbReader reader = store.reader();
      for (int i = 0; i < ids.size(); i++) {
        assertThat(sdb.get("Item", Map.of("id", ids.get(i))).orElseThrow())
            .containsEntry("qty", i);
        assertThat(reader.findAll("Item", Query.where(Map.of("id", ids.get(i)))))
            .extracting(r -> r.get("qty")).containsExactly(i);
      }
      assertThat(reader.findAll("Item", Query.where(Map.of("id", Map.of("$like", "a%")))))
          .extracting(r -> r.get("id")).containsExactlyInAnyOrder("abc", "abc ", "a%c", "aXc");
      assertThat(reader.findAll("Item", Query.where(Map.of("id", Map.of("$like", "a\\%c")))))
          .extracting(r -> r.get("id")).containsExactly("a%c");
    }
  }

  /**
   * A flush whose commit failed on the way back (a dropped connection) may have been committed
   * all the same; its retry, alone or with later blocks, must write only what the database does
   * not hold yet, and a batch the database holds with other block ids is still refused.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aFlushRetriedAfterItsCommit_writesOnlyTheBlocksNotHeldYet(TestDatabases db) {
    List<dev.sdb.ChangeSet> sets = new java.util.ArrayList<>();
    SqlStateStore store = db.freshStore();
    try (Sdb sdb = dev.sdb.TestModels.builder(store, Schema.builder().model(ITEM_V1).build())
        .manualFlush().listener(new dev.sdb.SdbListener() {
          @Override
          public void blockCommitted(dev.sdb.ChangeSet set) {
            sets.add(set);
          }
        }).open()) {
      block(sdb, s -> s.create("Item", Map.of("id", "a", "qty", 1)));
      block(sdb, s -> s.increase("Item", Map.of("qty", 1), Map.of("id", "a")));
      sdb.flush();
      block(sdb, s -> s.create("Item", Map.of("id", "b", "qty", 5)));

      store.apply(sets.subList(0, 2)); // the database holds both: nothing to write
      store.apply(sets); // it holds the first two: only block 2 is written
      assertThat(store.flushedHeight()).isEqualTo(2);
      assertThat(store.reader().findAll("Item", Query.all()))
          .extracting(r -> r.get("id") + "=" + r.get("qty")).containsExactly("a=2", "b=5");
      sdb.flush(); // the engine's own flush of block 2 finds it held as well

      dev.sdb.ChangeSet forged = new dev.sdb.ChangeSet(new BlockHeader(2, "other", "b1", 2),
          sets.get(2).deltas());
      assertThatThrownBy(() -> store.apply(List.of(forged))).isInstanceOf(StoreException.class)
          .hasMessageContaining("flush of block 2 refused: the database is at height 2");
      assertThat(store.reader().blocks(0, 10)).hasSize(3);
    }
  }

  /** A unique key declared in a later release is added to the existing table. */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void migration_addsANewUniqueKey_andRefusesToStartIfRowsBreakIt(TestDatabases db)
      throws SQLException {
    assertUpgradeMakesQtyUnique(db, ITEM_V1);
  }

  /** An indexed column that a later release makes unique gets a unique index, not just the old one. */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void migration_makesAnIndexedColumnUnique(TestDatabases db) throws SQLException {
    assertUpgradeMakesQtyUnique(db, ModelSchema.builder("Item").memory()
        .string("id", 20).column("qty", ColumnType.INT).indexed().primaryKey("id").build());
  }

  /**
   * From {@code v1} (Item with qty not unique) to qty unique: the database then refuses a second
   * row with the same qty, and a database whose rows already share one is refused at open.
   */
  private static void assertUpgradeMakesQtyUnique(TestDatabases db, ModelSchema v1Model)
      throws SQLException {
    ModelSchema uniqueQty = ModelSchema.builder("Item").memory()
        .string("id", 20).column("qty", ColumnType.INT).unique().primaryKey("id").build();
    String url = db.freshUrl();
    try (Sdb v1 = open(url, v1Model)) {
      block(v1, s -> {
        s.create("Item", Map.of("id", "a", "qty", 1));
        s.create("Item", Map.of("id", "b", "qty", 2));
      });
    }
    try (Sdb v2 = open(url, uniqueQty)) {
      assertThat(v2.get("Item", Map.of("qty", 2)).orElseThrow()).containsEntry("id", "b");
    }
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO item (id, qty, _version_) VALUES ('c', 1, 1)")) {
      assertThatThrownBy(ps::executeUpdate).isInstanceOf(SQLException.class);
    }

    String broken = db.freshUrl();
    try (Sdb v1 = open(broken, v1Model)) {
      block(v1, s -> {
        s.create("Item", Map.of("id", "a", "qty", 1));
        s.create("Item", Map.of("id", "b", "qty", 1));
      });
    }
    assertThatThrownBy(() -> open(broken, uniqueQty)).isInstanceOf(StoreException.class)
        .hasStackTraceContaining("uk_item_qty");
  }

  /** A table whose name matches the model's table as a pattern ('_' is any character) is not it. */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aTableNamedLikeTheModelsTable_isNotTakenForIt(TestDatabases db) throws SQLException {
    String url = db.freshUrl();
    String decoy = db == TestDatabases.MARIADB ? "`wildxcard`" : "\"wildxcard\"";
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + decoy);
      st.execute("CREATE TABLE " + decoy + " (id VARCHAR(20) PRIMARY KEY, qty INT, "
          + "_version_ BIGINT)");
    }
    ModelSchema wild = ModelSchema.builder("Wild").table("wild_card").memory()
        .string("id", 20).column("qty", ColumnType.INT).primaryKey("id").build();
    try {
      try (Sdb sdb = open(url, wild)) {
        block(sdb, s -> s.create("Wild", Map.of("id", "a", "qty", 1)));
      }
      try (Sdb sdb = open(url, wild)) {
        assertThat(sdb.get("Wild", Map.of("id", "a")).orElseThrow()).containsEntry("qty", 1);
      }
    } finally {
      try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
        st.execute("DROP TABLE IF EXISTS " + decoy);
        st.execute("DROP TABLE IF EXISTS " + decoy.replace("wildxcard", "wild_card"));
      }
    }
  }

  /** The estimate that sizes the engine's key filters comes from each database's statistics. */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void estimatedRows_followsTheDatabasesStatistics(TestDatabases db) throws SQLException {
    String url = db.freshUrl();
    SqlStateStore store = SqlStateStore.open(url);
    try (Sdb sdb = dev.sdb.TestModels.builder(store, Schema.builder().model(ITEM_V1).build())
        .manualFlush().open()) {
      assertThat(store.estimatedRows(ITEM_V1)).isBetween(-1L, 0L); // new, never analysed
      block(sdb, s -> {
        for (int i = 0; i < 1_000; i++) {
          s.create("Item", Map.of("id", "i" + i, "qty", i));
        }
      });
      sdb.flush();
      try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
        st.execute(db == TestDatabases.MARIADB ? "ANALYZE TABLE item" : "ANALYZE item");
      }
      long estimate = store.estimatedRows(ITEM_V1);
      if (db == TestDatabases.MARIADB) {
        assertThat(estimate).isBetween(500L, 2_000L); // InnoDB samples pages
      } else {
        assertThat(estimate).isEqualTo(1_000L);
      }
    }
  }
}
