package dev.sdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.sql.CommitAnswers;
import dev.sdb.sql.SqlStateStore;
import dev.sdb.sql.TestDatabases;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A commit whose answer is lost (the server committed, the connection dropped before it said so):
 * the store asks the database which way it went, and when it cannot, the engine neither drifts
 * from the database nor loses a block.
 */
class CommitInDoubtTest {
  private static final long SEED = 11;

  @TempDir
  Path wal;

  @AfterEach
  void reset() {
    CommitAnswers.reset();
  }

  private Sdb open(String url) {
    return Sdb.builder().schema(TestModels.schema()).store(SqlStateStore.open(url)).manualFlush()
        .wal(wal).open();
  }

  private Sdb openKeepingHistoryOf2(String url) {
    return Sdb.builder().schema(TestModels.schema())
        .store(SqlStateStore.builder(url).historyDepth(2).build()).manualFlush().wal(wal).open();
  }

  private static Map<String, String> chain(long height) {
    Sdb sdb = TestModels.open(new dev.sdb.store.MemoryStateStore());
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, height, SEED);
    return Scenario.dump(sdb, 20);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void flushWhoseAnswerIsLost_isFoundInTheDatabase_andCounts(TestDatabases db) {
    String url = db.freshUrl();
    try (Sdb sdb = open(url)) {
      Scenario.genesis(sdb);
      Scenario.blocks(sdb, 1, 4, SEED);
      CommitAnswers.loseNext();

      sdb.flush();

      assertThat(sdb.flushedHeight()).isEqualTo(4);
      Scenario.blocks(sdb, 5, 6, SEED);
      sdb.flush();
      sdb.rollbackBlock(3);
      assertThat(Scenario.dump(sdb, 20)).isEqualTo(chain(3));
    }
    try (Sdb reopened = open(url)) {
      assertThat(reopened.flushedHeight()).isEqualTo(3);
      assertThat(Scenario.dump(reopened, 20)).isEqualTo(chain(3));
    }
  }

  /**
   * The flush committed but nobody can tell: a rollback below the queued blocks must not take
   * them from the queue as if the database did not have them.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void flushInDoubt_thenARollbackOfItsBlocks_rollsTheDatabaseBackToo(TestDatabases db) {
    String url = db.freshUrl();
    try (Sdb sdb = open(url)) {
      Scenario.genesis(sdb);
      Scenario.blocks(sdb, 1, 2, SEED);
      sdb.flush();
      Scenario.blocks(sdb, 3, 6, SEED);
      CommitAnswers.loseNextAndTheCheck();
      assertThatThrownBy(sdb::flush).isInstanceOf(StoreException.class)
          .hasCauseInstanceOf(StoreInDoubtException.class)
          .hasMessageContaining("outcome unknown");
      assertThat(sdb.flushedHeight()).isEqualTo(2);

      sdb.rollbackBlock(4);
      Scenario.blocks(sdb, 5, 5, SEED);
      sdb.flush();

      assertThat(sdb.flushedHeight()).isEqualTo(5);
      assertThat(Scenario.dump(sdb, 20)).isEqualTo(chain(5));
    }
    try (Sdb reopened = open(url)) {
      assertThat(Scenario.dump(reopened, 20)).isEqualTo(chain(5));
    }
  }

  /**
   * A commit that failed without committing is in doubt too (not finding the work right away
   * proves nothing); the rollback asks the database again, finds nothing, and takes the blocks
   * from the queue without writing them.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void flushThatFailedAtItsCommit_isInDoubt_andTheRollbackFindsItDidNotCommit(TestDatabases db) {
    String url = db.freshUrl();
    try (Sdb sdb = open(url)) {
      Scenario.genesis(sdb);
      Scenario.blocks(sdb, 1, 4, SEED);
      CommitAnswers.failNext();
      assertThatThrownBy(sdb::flush).isInstanceOf(StoreException.class)
          .hasCauseInstanceOf(StoreInDoubtException.class)
          .hasMessageContaining("its work is not in the database (yet)");
      assertThat(sdb.flushedHeight()).isEqualTo(-1);

      sdb.rollbackBlock(2);

      assertThat(sdb.flushedHeight()).isEqualTo(-1);
      assertThat(Scenario.dump(sdb, 20)).isEqualTo(chain(2));
      sdb.flush();
      assertThat(sdb.flushedHeight()).isEqualTo(2);
    }
    try (Sdb reopened = open(url)) {
      assertThat(Scenario.dump(reopened, 20)).isEqualTo(chain(2));
    }
  }

  /**
   * With a short history, a rollback after a flush in doubt must not write the blocks it then
   * undoes: that flush would prune the history the rollback needs, and refuse it.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void flushInDoubt_thenARollbackOfItsBlocks_withAShortHistory_writesNothing(TestDatabases db) {
    String url = db.freshUrl();
    try (Sdb sdb = openKeepingHistoryOf2(url)) {
      Scenario.genesis(sdb);
      Scenario.blocks(sdb, 1, 4, SEED);
      sdb.flush();
      Scenario.blocks(sdb, 5, 8, SEED);
      CommitAnswers.failNext();
      assertThatThrownBy(sdb::flush).hasCauseInstanceOf(StoreInDoubtException.class);

      sdb.rollbackBlock(4);

      assertThat(sdb.flushedHeight()).isEqualTo(4);
      assertThat(Scenario.dump(sdb, 20)).isEqualTo(chain(4));
      Scenario.blocks(sdb, 5, 6, SEED);
      sdb.flush();
      sdb.rollbackBlock(5); // the history of block 6 is still there
      assertThat(Scenario.dump(sdb, 20)).isEqualTo(chain(5));
    }
    try (Sdb reopened = openKeepingHistoryOf2(url)) {
      assertThat(reopened.flushedHeight()).isEqualTo(5);
      assertThat(Scenario.dump(reopened, 20)).isEqualTo(chain(5));
    }
  }

  /** With a history depth, a flush of more blocks keeps no change set for the oldest ones. */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void flushWhoseAnswerIsLost_isFoundWithAShortHistoryToo(TestDatabases db) {
    String url = db.freshUrl();
    try (Sdb sdb = openKeepingHistoryOf2(url)) {
      Scenario.genesis(sdb);
      Scenario.blocks(sdb, 1, 5, SEED);
      CommitAnswers.loseNext();

      sdb.flush();

      assertThat(sdb.flushedHeight()).isEqualTo(5);
      Scenario.blocks(sdb, 6, 6, SEED);
      sdb.flush();
      assertThat(sdb.flushedHeight()).isEqualTo(6);
      assertThat(Scenario.dump(sdb, 20)).isEqualTo(chain(6));
      sdb.rollbackBlock(4); // the two newest change sets are kept
      assertThatThrownBy(() -> sdb.rollbackBlock(2)).isInstanceOf(LifecycleException.class)
          .hasMessageContaining("pruned");
    }
    try (Sdb reopened = openKeepingHistoryOf2(url)) {
      assertThat(reopened.flushedHeight()).isEqualTo(4);
      assertThat(Scenario.dump(reopened, 20)).isEqualTo(chain(4));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void rollbackWhoseAnswerIsLost_isFoundInTheDatabase_andCounts(TestDatabases db) {
    String url = db.freshUrl();
    try (Sdb sdb = open(url)) {
      Scenario.genesis(sdb);
      Scenario.blocks(sdb, 1, 5, SEED);
      sdb.flush();
      CommitAnswers.loseNext();

      sdb.rollbackBlock(2);

      assertThat(sdb.flushedHeight()).isEqualTo(2);
      Scenario.blocks(sdb, 3, 4, SEED);
      sdb.flush();
      assertThat(Scenario.dump(sdb, 20)).isEqualTo(chain(4));
    }
    try (Sdb reopened = open(url)) {
      assertThat(Scenario.dump(reopened, 20)).isEqualTo(chain(4));
    }
  }

  /**
   * A rollback of flushed blocks in doubt stops the engine (memory cannot follow a database in an
   * unknown state); the next start completes the rollback from the log.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void rollbackInDoubt_stopsTheEngine_andTheNextStartCompletesIt(TestDatabases db) {
    String url = db.freshUrl();
    Sdb sdb = open(url);
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 5, SEED);
    sdb.flush();
    Scenario.blocks(sdb, 6, 7, SEED);
    CommitAnswers.loseNextAndTheCheck();

    assertThatThrownBy(() -> sdb.rollbackBlock(2)).isInstanceOf(StoreInDoubtException.class)
        .hasMessageContaining("rollbackBlock(2)").hasMessageContaining("SDB stopped");
    assertThatThrownBy(() -> sdb.beginBlock(TestModels.block(8)))
        .isInstanceOf(StoreException.class).hasMessageContaining("SDB stopped");
    assertThatThrownBy(() -> sdb.load("Account", Map.of("address", "G0")))
        .isInstanceOf(StoreException.class).hasMessageContaining("SDB stopped");
    sdb.close();

    try (Sdb reopened = open(url)) {
      assertThat(reopened.lastHeight()).isEqualTo(2);
      assertThat(reopened.flushedHeight()).isEqualTo(2);
      assertThat(Scenario.dump(reopened, 20)).isEqualTo(chain(2));
      Scenario.blocks(reopened, 3, 3, SEED);
      reopened.flush();
      assertThat(Scenario.dump(reopened, 20)).isEqualTo(chain(3));
    }
  }
}
