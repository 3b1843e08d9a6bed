package dev.sdb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.BlockHeader;
import dev.sdb.LifecycleException;
import dev.sdb.Sdb;
import dev.sdb.TestModels;
import dev.sdb.schema.ColumnType;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code historyDepth}: which change sets a flush keeps, and how far a rollback then reaches. */
class HistoryDepthTest {
  private static final Schema SCHEMA = Schema.builder().model(ModelSchema.builder("Item").memory()
      .string("id", 20).column("qty", ColumnType.INT).primaryKey("id").build()).build();

  private static Sdb open(SqlStateStore store) {
    return TestModels.builder(store, SCHEMA).manualFlush().open();
  }

  private static SqlStateStore store(String url) {
    return SqlStateStore.builder(url).historyDepth(3).build();
  }

  /** Block h sets Item a's qty to h (block 0 creates it). */
  private static void blocks(Sdb sdb, long from, long to) {
    for (long h = from; h <= to; h++) {
      sdb.beginBlock(new BlockHeader(h, "b" + h, h == 0 ? null : "b" + (h - 1), h));
      if (h == 0) {
        sdb.create("Item", Map.of("id", "a", "qty", 0));
      } else {
        sdb.update("Item", Map.of("qty", (int) h), Map.of("id", "a"));
      }
      sdb.commitBlock();
    }
  }

  private static List<Long> changeSetHeights(String url) throws SQLException {
    List<Long> heights = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT height FROM sdb_change_set ORDER BY height")) {
      while (rs.next()) {
        heights.add(rs.getLong(1));
      }
    }
    return heights;
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void eachFlushKeepsTheNewestChangeSets_andRollbackReachesExactlyThatFar(TestDatabases db)
      throws SQLException {
    String url = db.freshUrl();
    try (Sdb sdb = open(store(url))) {
      blocks(sdb, 0, 4);
      sdb.flush();
      assertThat(changeSetHeights(url)).containsExactly(2L, 3L, 4L);
      blocks(sdb, 5, 9);
      sdb.flush();
      assertThat(changeSetHeights(url)).containsExactly(7L, 8L, 9L);
    }
    SqlStateStore store = store(url);
    try (Sdb sdb = open(store)) { // after a restart, from the database alone
      assertThatThrownBy(() -> sdb.rollbackBlock(5))
          .isInstanceOf(LifecycleException.class)
          .hasMessageContaining("rollbackBlock(5)").hasMessageContaining("pruned");
      assertThat(sdb.lastHeight()).isEqualTo(9);
      assertThat(sdb.flushedHeight()).isEqualTo(9);
      assertThat(sdb.get("Item", Map.of("id", "a")).orElseThrow()).containsEntry("qty", 9);

      sdb.rollbackBlock(6);

      assertThat(sdb.lastHeight()).isEqualTo(6);
      assertThat(sdb.flushedHeight()).isEqualTo(6);
      assertThat(sdb.get("Item", Map.of("id", "a")).orElseThrow()).containsEntry("qty", 6);
      assertThat(store.reader().findOne("Item", Map.of("id", "a")).orElseThrow())
          .containsEntry("qty", 6);
      assertThat(changeSetHeights(url)).isEmpty();
      blocks(sdb, 7, 8); // the chain goes on; unflushed blocks roll back whatever the depth
      sdb.rollbackBlock(6);
      assertThat(sdb.get("Item", Map.of("id", "a")).orElseThrow()).containsEntry("qty", 6);
    }
  }

  @Test
  void historyDepth_mustBePositive() {
    assertThatThrownBy(() -> SqlStateStore.builder("jdbc:sqlite:x.db").historyDepth(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("historyDepth must be positive: 0");
  }
}
