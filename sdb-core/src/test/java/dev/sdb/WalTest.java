package dev.sdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.schema.Schema;
import dev.sdb.store.MemoryStateStore;
import dev.sdb.store.StateStore;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The write-ahead log in one process: a "crash" abandons an engine without closing or flushing it,
 * and a new engine opens the same store (the database) and the same log directory.
 */
class WalTest {
  private static final long SEED = 3;

  @TempDir
  Path dir;

  private Sdb open(StateStore store, FsyncPolicy fsync) {
    return Sdb.builder().schema(TestModels.schema()).store(store).manualFlush().wal(dir)
        .fsync(fsync).open();
  }

  private Sdb open(StateStore store) {
    return open(store, FsyncPolicy.everyBlock());
  }

  private static Map<String, String> expected(long height, long forkAt, long forkSeed) {
    Sdb sdb = TestModels.open(new MemoryStateStore());
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, Math.min(height, forkAt), SEED);
    if (height > forkAt) {
      Scenario.blocks(sdb, forkAt + 1, height, forkSeed);
    }
    return Scenario.dump(sdb, 12);
  }

  @Test
  void crash_afterCommitsPastTheLastFlush_recoversEveryCommittedBlock() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 2, SEED);
    crashed.flush();
    Scenario.blocks(crashed, 3, 5, SEED);

    Sdb recovered = open(db);

    assertThat(recovered.lastHeight()).isEqualTo(5);
    assertThat(recovered.flushedHeight()).isEqualTo(2);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(5, 99, 0));
    recovered.flush();
    assertThat(db.flushedHeight()).isEqualTo(5);
    Scenario.blocks(recovered, 6, 6, SEED);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(6, 99, 0));
  }

  /**
   * A release that dropped a model starts on a log whose blocks changed it, as long as the store
   * has those blocks: replay never applies them, so their deltas are not read.
   */
  @Test
  void start_withoutAModelThatOnlyFlushedBlocksChanged_succeeds() throws IOException {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed); // creates Delegates
    Scenario.blocks(crashed, 1, 2, SEED);
    Path before = Files.createTempDirectory("sdb-wal-copy");
    copyLog(dir, before);
    crashed.flush();
    // the crash came after the store's commit, before the log moved on: it still holds 0..2
    copyLog(before, dir);

    try (Sdb next = openWithoutDelegate(db)) {
      assertThat(next.lastHeight()).isEqualTo(2);
      assertThat(next.flushedHeight()).isEqualTo(2);
    }
  }

  /** The same for blocks a finished rollback cut from the log: replay never applies them. */
  @Test
  void start_withoutAModelThatOnlyRolledBackBlocksChanged_succeeds() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    crashed.flush();
    Scenario.blocks(crashed, 1, 2, SEED); // they update Delegates
    crashed.rollbackBlock(0);
    crashed.beginBlock(new BlockHeader(1, "other-1", "block-0", 10));
    crashed.create("Account", Map.of("address", "G-other"));
    crashed.commitBlock();

    try (Sdb next = openWithoutDelegate(db)) {
      assertThat(next.lastHeight()).isEqualTo(1);
      assertThat(next.currentBlock()).isEmpty();
      assertThat(next.get("Account", Map.of("address", "G-other"))).isPresent();
    }
  }

  /** The next release: TestModels' schema without its Delegate model, on this test's log. */
  private Sdb openWithoutDelegate(StateStore db) {
    Schema withoutDelegate = Schema.builder().model(TestModels.Account.class)
        .model(TestModels.Transfer.class).model(TestModels.Transaction.class)
        .model(TestModels.BALANCE).build();
    return Sdb.builder().schema(withoutDelegate).store(db).manualFlush().wal(dir).open();
  }

  private static void copyLog(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.list(to)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  /**
   * A log kept beside another database at the same height (or a backup of another fork) is not
   * replayed onto it: the heights fit, the block ids do not.
   */
  @Test
  void start_withTheLogOfAnotherChain_isRefused_andBothStayAsTheyWere() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 2, SEED);
    crashed.flush();
    Scenario.blocks(crashed, 3, 4, SEED);
    MemoryStateStore other = new MemoryStateStore();
    try (Sdb fork = TestModels.open(other)) {
      Scenario.genesis(fork);
      Scenario.blocks(fork, 1, 1, SEED);
      fork.beginBlock(new BlockHeader(2, "fork-2", "block-1", 20));
      fork.commitBlock();
      fork.flush();
    }

    assertThatThrownBy(() -> open(other)).isInstanceOf(StoreException.class)
        .hasMessageContaining("belongs to another chain")
        .hasMessageContaining("follows block 'block-2', but the store's block 2 is 'fork-2'");

    assertThat(other.flushedHeight()).isEqualTo(2);
    Sdb recovered = open(db);
    assertThat(recovered.lastHeight()).isEqualTo(4);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(4, 99, 0));
  }

  @Test
  void crash_afterARollbackOfFlushedBlocks_doesNotBringThemBack() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 6, SEED);
    crashed.flush();
    Scenario.blocks(crashed, 7, 8, SEED);
    crashed.rollbackBlock(3);
    Scenario.blocks(crashed, 4, 5, 77);

    Sdb recovered = open(db);

    assertThat(recovered.lastHeight()).isEqualTo(5);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(5, 3, 77));
  }

  @Test
  void crash_afterARollbackOfUnflushedBlocks_recoversTheRolledBackHeight() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 2, SEED);
    crashed.flush();
    Scenario.blocks(crashed, 3, 7, SEED);
    crashed.rollbackBlock(4);

    Sdb recovered = open(db);

    assertThat(recovered.lastHeight()).isEqualTo(4);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(4, 99, 0));
  }

  /** A store that "crashes" (an Error no one catches) in the middle of a rollback. */
  private static final class CrashingRevert extends FailingStoreBase {
    CrashingRevert(StateStore delegate) {
      super(delegate);
    }

    @Override
    public void revertTo(long height) {
      throw new Error("simulated crash during rollback");
    }
  }

  @Test
  void crash_duringARollback_isFinishedAtTheNextStart() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(new CrashingRevert(db));
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 6, SEED);
    crashed.flush();
    Scenario.blocks(crashed, 7, 8, SEED);
    assertThatThrownBy(() -> crashed.rollbackBlock(2)).isInstanceOf(Error.class);

    Sdb recovered = open(db);

    assertThat(db.flushedHeight()).isEqualTo(2);
    assertThat(recovered.lastHeight()).isEqualTo(2);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(2, 99, 0));
  }

  @Test
  void refusedRollback_isRecordedAsAborted_andTheBlocksStay() {
    FailingStore db = new FailingStore(new MemoryStateStore());
    Sdb sdb = open(db);
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 4, SEED);
    sdb.flush();
    Scenario.blocks(sdb, 5, 6, SEED);
    db.failRevert = true;
    assertThatThrownBy(() -> sdb.rollbackBlock(1)).isInstanceOf(StoreException.class);
    db.failRevert = false;

    Sdb recovered = open(db);

    assertThat(recovered.lastHeight()).isEqualTo(6);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(6, 99, 0));
  }

  /**
   * An Error (out of memory, say) while the store reverts: memory is undone, the store may or may
   * not be, and nothing can be trusted to roll forward. The engine stops instead of running on a
   * half-done rollback, and the next start finishes the rollback the log recorded.
   */
  @Test
  void anErrorWhileTheStoreReverts_stopsTheEngine_andTheRestartFinishesTheRollback() {
    MemoryStateStore memory = new MemoryStateStore();
    AtomicBoolean fail = new AtomicBoolean();
    StateStore db = new FailingStoreBase(memory) {
      @Override
      public void revertTo(long height, List<ChangeSet> above) {
        if (fail.getAndSet(false)) {
          throw new OutOfMemoryError("injected into the store's revert");
        }
        super.revertTo(height, above);
      }
    };
    Sdb sdb = open(db);
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 4, SEED);
    sdb.flush();
    Scenario.blocks(sdb, 5, 6, SEED);
    fail.set(true);
    assertThatThrownBy(() -> sdb.rollbackBlock(2)).isInstanceOf(OutOfMemoryError.class);

    assertThatThrownBy(() -> sdb.beginBlock(TestModels.block(7)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("SDB stopped");
    sdb.close();

    Sdb restarted = open(db);
    assertThat(restarted.lastHeight()).isEqualTo(2);
    assertThat(memory.flushedHeight()).isEqualTo(2);
    assertThat(Scenario.dump(restarted, 12)).isEqualTo(expected(2, 99, 0));
    restarted.close();
  }

  /**
   * An Error while a contract rolls back leaves the block half undone, and rolling forward again
   * cannot be trusted after it: the engine stops, and the next start resumes at the last
   * committed block, the block in progress dropped.
   */
  @Test
  void anErrorWhileAContractRollsBack_stopsTheEngine_andTheRestartResumesAtTheLastBlock() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb sdb = open(db);
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 3, SEED);
    sdb.beginBlock(TestModels.block(4));
    sdb.beginContract();
    sdb.increase("Account", Map.of("gny", -5), Map.of("address", "G1"));
    sdb.increase("Account", Map.of("gny", 5), Map.of("address", "G2"));
    OutOfMemoryError injected = new OutOfMemoryError("injected");
    AtomicInteger applied = new AtomicInteger();
    sdb.faultForTest = context -> {
      if (applied.incrementAndGet() == 2) { // one increase undone, the other not
        throw injected;
      }
    };

    assertThatThrownBy(sdb::rollbackContract).isSameAs(injected);

    assertThatThrownBy(() -> sdb.increase("Account", Map.of("gny", 1), Map.of("address", "G1")))
        .isInstanceOf(StoreException.class).hasMessageContaining("SDB stopped")
        .hasMessageContaining("rollbackContract in block 4 failed with");
    sdb.close();
    assertRestartsAt(db, 3);
  }

  /**
   * An Error while unflushed blocks are undone: they were taken from the flush queue and are
   * partly undone in memory. The engine stops, and the next start finishes the rollback the log
   * recorded.
   */
  @Test
  void anErrorWhileUnflushedBlocksAreUndone_stopsTheEngine_andTheRestartFinishesTheRollback() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb sdb = open(db);
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 5, SEED);
    AtomicInteger applied = new AtomicInteger();
    sdb.faultForTest = context -> {
      if (applied.incrementAndGet() == 7) {
        throw new OutOfMemoryError("injected into the " + context);
      }
    };

    assertThatThrownBy(() -> sdb.rollbackBlock(2)).isInstanceOf(OutOfMemoryError.class);

    assertThatThrownBy(() -> sdb.beginBlock(TestModels.block(6)))
        .isInstanceOf(StoreException.class).hasMessageContaining("SDB stopped")
        .hasMessageContaining("rollbackBlock(2) failed with");
    sdb.close();
    assertRestartsAt(db, 2);
  }

  /**
   * An Error in the middle of a write (between its change to memory and its delta's record) or of
   * a lock (injected once the name is recorded, in place of one between the set of names and the
   * list a contract rollback releases from): no rollback could be trusted to undo it, so the
   * engine stops, and the next start resumes at the last committed block.
   */
  @ParameterizedTest
  @ValueSource(strings = {"write", "lock"})
  void anErrorInTheMiddleOfAWriteOrALock_stopsTheEngine_andTheRestartResumesAtTheLastBlock(
      String point) {
    MemoryStateStore db = new MemoryStateStore();
    Sdb sdb = open(db);
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 3, SEED);
    sdb.beginBlock(TestModels.block(4));
    sdb.beginContract();
    sdb.faultForTest = outOfMemoryAt(point, "injected into a " + point);
    ThrowingCallable call = point.equals("write")
        ? () -> sdb.increase("Account", Map.of("gny", -5), Map.of("address", "G1"))
        : () -> sdb.lock("transfer@tx-4-0");

    assertThatThrownBy(call).isInstanceOf(OutOfMemoryError.class);

    sdb.faultForTest = null;
    assertThatThrownBy(sdb::rollbackContract).isInstanceOf(StoreException.class)
        .hasMessageContaining("SDB stopped").hasMessageContaining("a " + point + " failed with");
    sdb.close();
    assertRestartsAt(db, 3);
  }

  /**
   * An Error in commitBlock once its record is written: during the log's fsync (the log's own
   * count of what it holds then lags the file) or after the append returned (the queue and the
   * height may not show the block). The caller cannot tell whether the block counts; the engine
   * stops, and the next start takes the block from the log, as after a crash.
   */
  @ParameterizedTest
  @ValueSource(strings = {"fsync", "commit"})
  void anErrorInCommitBlockOnceItsRecordIsWritten_stopsTheEngine_andTheRestartHasTheBlock(
      String point) {
    MemoryStateStore db = new MemoryStateStore();
    Sdb sdb = open(db);
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 3, SEED);
    String message = "injected at the " + point;
    if (point.equals("fsync")) {
      FileWal.failNextSyncForTest = new OutOfMemoryError(message);
    } else {
      sdb.faultForTest = outOfMemoryAt(point, message);
    }
    try {
      assertThatThrownBy(() -> Scenario.blocks(sdb, 4, 4, SEED))
          .isInstanceOf(OutOfMemoryError.class).hasMessage(message);
    } finally {
      FileWal.failNextSyncForTest = null;
      sdb.faultForTest = null;
    }

    assertThatThrownBy(() -> sdb.beginBlock(TestModels.block(5)))
        .isInstanceOf(StoreException.class).hasMessageContaining("commitBlock failed with");
    sdb.close();
    assertRestartsAt(db, 4);
  }

  /**
   * The writer thread dies of the Error that stopped the engine in the middle of a block; a
   * shutdown hook on another thread can still close it, and the next start recovers.
   */
  @Test
  void aStoppedEngine_whoseWriterDiedInABlock_closesFromAnotherThread() throws Exception {
    MemoryStateStore db = new MemoryStateStore();
    AtomicBoolean storeClosed = new AtomicBoolean();
    Sdb sdb = open(new FailingStore(db) {
      @Override
      public void close() {
        storeClosed.set(true);
        super.close();
      }
    });
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 2, SEED);
    sdb.faultForTest = outOfMemoryAt("write", "injected into a write");
    AtomicReference<Throwable> died = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      sdb.beginBlock(TestModels.block(3));
      sdb.increase("Account", Map.of("gny", -5), Map.of("address", "G1"));
    }, "dying-writer");
    writer.setUncaughtExceptionHandler((t, e) -> died.set(e));
    writer.start();
    writer.join();
    assertThat(died.get()).isInstanceOf(OutOfMemoryError.class);

    sdb.close(); // on this thread, not the block's owner: before, a WrongThreadException

    assertThat(storeClosed).isTrue();
    assertRestartsAt(db, 2);
  }

  /** Out of memory even for the stop's message: the engine stops all the same. */
  @Test
  void anErrorWhoseMessageCannotBeMade_stillStopsTheEngine() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb sdb = open(db);
    Scenario.genesis(sdb);
    sdb.beginBlock(TestModels.block(1));
    sdb.beginContract();
    sdb.increase("Account", Map.of("gny", -5), Map.of("address", "G1"));
    OutOfMemoryError noRoom = new OutOfMemoryError("injected") {
      @Override
      public String toString() { // as a message that needs memory would fail
        throw new OutOfMemoryError("no room for the message either");
      }
    };
    sdb.faultForTest = context -> {
      throw noRoom;
    };

    assertThatThrownBy(sdb::rollbackContract).isSameAs(noRoom);

    assertThatThrownBy(() -> sdb.increase("Account", Map.of("gny", 1), Map.of("address", "G1")))
        .isInstanceOf(StoreException.class).hasMessageContaining("SDB stopped")
        .hasMessageContaining("an Error left memory in doubt");
    sdb.close();
    Sdb restarted = open(db);
    assertThat(restarted.lastHeight()).isEqualTo(0);
    restarted.close();
  }

  /**
   * A rollback that fails (here a stored change set that does not match memory) rolls forward
   * what it had undone; an Error in that roll-forward leaves memory in no block's state: the
   * engine stops, the Error is thrown with the first failure on it, and the next start finishes
   * the rollback the log recorded.
   */
  @Test
  void anErrorWhileAFailedRollbackIsRolledForward_stopsTheEngine_andTheRestartFinishesIt() {
    AtomicBoolean forge = new AtomicBoolean();
    MemoryStateStore memory = new MemoryStateStore();
    StateStore db = new FailingStoreBase(memory) {
      @Override
      public List<ChangeSet> changeSetsAbove(long height) {
        List<ChangeSet> sets = new ArrayList<>(super.changeSetsAbove(height));
        if (forge.getAndSet(false)) { // a create of an entity memory does not have
          ChangeSet lowest = sets.get(0);
          List<Delta> deltas = new ArrayList<>(lowest.deltas());
          deltas.add(0, Delta.created(TestModels.schema().model("Account"), "ghost",
              new Object[] {"ghost", null, BigInteger.ONE, 0, 1L}));
          sets.set(0, new ChangeSet(lowest.block(), deltas));
        }
        return sets;
      }
    };
    Sdb sdb = open(db);
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 4, SEED);
    sdb.flush();
    Scenario.blocks(sdb, 5, 6, SEED);
    forge.set(true);
    sdb.faultForTest = context -> {
      if (context.startsWith("restore")) {
        throw new OutOfMemoryError("injected into the " + context);
      }
    };

    assertThatThrownBy(() -> sdb.rollbackBlock(1)).isInstanceOf(OutOfMemoryError.class)
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .isInstanceOf(StateDriftException.class));

    assertThatThrownBy(() -> sdb.beginBlock(TestModels.block(7)))
        .isInstanceOf(StoreException.class).hasMessageContaining("SDB stopped")
        .hasMessageContaining("restoring memory after a failed rollback failed with");
    sdb.close();
    Sdb restarted = open(db);
    assertThat(restarted.lastHeight()).isEqualTo(1);
    assertThat(memory.flushedHeight()).isEqualTo(1);
    assertThat(Scenario.dump(restarted, 12)).isEqualTo(expected(1, 99, 0));
    restarted.close();
  }

  @Test
  void pendingInterrupt_neitherFailsNorBreaksTheLog_andStaysSet() {
    // a contract timeout implemented with Thread.interrupt can leave the writer's flag set
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 2, SEED);
    try {
      Thread.currentThread().interrupt();
      Scenario.blocks(crashed, 3, 3, SEED);
      assertThat(Thread.currentThread().isInterrupted()).as("interrupt kept").isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(crashed.lastHeight()).isEqualTo(3);
    Scenario.blocks(crashed, 4, 5, SEED);

    Sdb recovered = open(db);

    assertThat(recovered.lastHeight()).isEqualTo(5);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(5, 99, 0));
  }

  @Test
  void pendingInterrupt_duringAFlushThatRotatesTheLog_doesNotBreakIt() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 2, SEED);
    try {
      Thread.currentThread().interrupt();
      crashed.flush(); // the log closes its segment and starts a new one
      assertThat(Thread.currentThread().isInterrupted()).as("interrupt kept").isTrue();
    } finally {
      Thread.interrupted();
    }
    Scenario.blocks(crashed, 3, 4, SEED);

    Sdb recovered = open(db);

    assertThat(recovered.lastHeight()).isEqualTo(4);
    assertThat(recovered.flushedHeight()).isEqualTo(2);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(4, 99, 0));
  }

  @Test
  void failedFsyncOfABlock_leavesNoRecord_soARetryIsLoggedOnce() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 2, SEED);
    failNextFsync(() -> Scenario.runBlock(crashed, 3, SEED, () -> { }));
    assertThat(crashed.lastHeight()).isEqualTo(2);
    assertThat(crashed.commitBlock()).isEqualTo(3); // the caller retries
    Scenario.blocks(crashed, 4, 4, SEED);

    Sdb recovered = open(db);

    assertThat(recovered.lastHeight()).isEqualTo(4);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(4, 99, 0));
  }

  @Test
  void failedFsyncOfABlock_thenACrash_replaysNothingOfIt() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 2, SEED);
    failNextFsync(() -> Scenario.runBlock(crashed, 3, SEED, () -> { }));
    crashed.rollbackBlock(); // the caller gives the block up

    Sdb recovered = open(db);

    assertThat(recovered.lastHeight()).isEqualTo(2);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(2, 99, 0));
  }

  @Test
  void failedFsyncOfARollbackStart_leavesNoRecord() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 4, SEED);
    failNextFsync(() -> crashed.rollbackBlock(2));
    assertThat(crashed.lastHeight()).isEqualTo(4);
    Scenario.blocks(crashed, 5, 5, SEED);

    Sdb recovered = open(db);

    assertThat(recovered.lastHeight()).isEqualTo(5);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(5, 99, 0));
  }

  /**
   * Under group commit the fsync runs in the background; when it fails, the blocks since the last
   * one may not be on disk, so the next commit must fail with that reason, not carry on.
   */
  @Test
  void failedGroupCommitFsync_failsTheNextCommit_andARestartRecovers() throws Exception {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db, FsyncPolicy.every(Duration.ofMillis(5)));
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 2, SEED);
    crashed.flush(); // forces the log: the failure below hits block 3's fsync, not theirs
    FileWal.failNextSyncForTest = new IOException("simulated fsync failure");
    try {
      Scenario.blocks(crashed, 3, 3, SEED);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (FileWal.failNextSyncForTest != null && System.nanoTime() < deadline) {
        Thread.sleep(5); // the background fsync takes the failure
      }
      assertThat(FileWal.failNextSyncForTest).isNull();
    } finally {
      FileWal.failNextSyncForTest = null;
    }
    assertThatThrownBy(() -> Scenario.blocks(crashed, 4, 4, SEED))
        .isInstanceOf(StoreException.class).hasMessageContaining("fsync of the write-ahead log")
        .hasMessageContaining("takes no more records").hasRootCauseMessage("simulated fsync failure");

    Sdb recovered = open(db, FsyncPolicy.every(Duration.ofMillis(5)));

    assertThat(recovered.lastHeight()).isEqualTo(3); // no real crash: the page cache still has it
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(3, 99, 0));
    recovered.close();
  }

  /**
   * The rollback's end record fails: the rollback has happened in memory and in the store, so the
   * listeners hear of it, the caller of the failure (with a failing listener's ListenerException
   * suppressed on it), and a restart keeps the rolled-back state.
   */
  @Test
  void failedFsyncOfARollbacksEnd_theRollbackStands_andListenersAreTold() {
    MemoryStateStore db = new MemoryStateStore();
    StateStore failsTheNextFsync = new FailingStoreBase(db) {
      @Override
      public void revertTo(long height) {
        super.revertTo(height);
        FileWal.failNextSyncForTest = new IOException("simulated fsync failure"); // the end's
      }
    };
    List<String> heard = new ArrayList<>();
    Sdb crashed = Sdb.builder().schema(TestModels.schema()).store(failsTheNextFsync).manualFlush()
        .wal(dir).listener(new SdbListener() {
          @Override
          public void rolledBack(long from, long to) {
            heard.add(from + "->" + to);
          }
        }).listener(new SdbListener() {
          @Override
          public void rolledBack(long from, long to) {
            throw new IllegalStateException("listener bug");
          }
        }).open();
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 4, SEED);
    crashed.flush();
    try {
      assertThatThrownBy(() -> crashed.rollbackBlock(2)).isInstanceOf(StoreException.class)
          .hasRootCauseMessage("simulated fsync failure")
          .satisfies(e -> {
            assertThat(e.getSuppressed()).hasSize(1);
            assertThat(e.getSuppressed()[0]).isInstanceOf(ListenerException.class)
                .hasMessageStartingWith("the rollback from height 4 to 2 is done, but listener ")
                .hasRootCauseMessage("listener bug");
          });
    } finally {
      FileWal.failNextSyncForTest = null;
    }

    assertThat(heard).containsExactly("4->2");
    assertThat(crashed.lastHeight()).isEqualTo(2);
    assertThat(db.flushedHeight()).isEqualTo(2);
    Scenario.blocks(crashed, 3, 3, 77);

    Sdb recovered = open(db);

    assertThat(recovered.lastHeight()).isEqualTo(3);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(3, 2, 77));
  }

  /**
   * A rollback left open in the log by a crash before its end record is finished at the next
   * start, which logs nothing when the store has nothing to revert; a later rollback that is
   * refused must not reopen it.
   */
  @Test
  void rollbackLeftOpen_thenARefusedRollback_doesNotBringTheRolledBackBlocksBack()
      throws IOException {
    FailingStore db = new FailingStore(new MemoryStateStore());
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 5, SEED);
    crashed.flush();
    Scenario.blocks(crashed, 6, 8, SEED);
    crashed.rollbackBlock(5);
    Path segment = lastSegment();
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 9); // the crash came before the end record (length, crc, type)
    }

    Sdb restarted = open(db);
    assertThat(restarted.lastHeight()).isEqualTo(5);
    db.failRevert = true;
    assertThatThrownBy(() -> restarted.rollbackBlock(3)).isInstanceOf(StoreException.class);
    db.failRevert = false;

    Sdb recovered = open(db);

    assertThat(recovered.lastHeight()).isEqualTo(5);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(5, 99, 0));
  }

  /**
   * With a policy that does not force every record, a flush forces the log first: a store that
   * got blocks whose log records a power loss then took (a rollback before them, say) would be
   * ahead of the log, on a fork the log does not know.
   */
  @Test
  void policyNever_aFlushForcesTheLogBeforeTheStoreGetsTheBlocks() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb sdb = open(db, FsyncPolicy.never());
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 3, SEED);

    failNextFsync(sdb::flush);

    assertThat(db.flushedHeight()).isEqualTo(-1);
    assertThat(sdb.lastHeight()).isEqualTo(3);
  }

  /** The same for a rollback of flushed blocks: its start is on the disk before the store moves. */
  @Test
  void groupCommit_aRollbackOfFlushedBlocksForcesTheLogBeforeTheStoreReverts() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb sdb = open(db, FsyncPolicy.every(Duration.ofHours(1)));
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 6, SEED);
    sdb.flush();
    Map<String, String> before = Scenario.dump(sdb, 12);

    failNextFsync(() -> sdb.rollbackBlock(2));

    assertThat(db.flushedHeight()).isEqualTo(6);
    assertThat(sdb.lastHeight()).isEqualTo(6);
    assertThat(Scenario.dump(sdb, 12)).isEqualTo(before);
  }

  /**
   * A segment that cannot be started (here a stray file holds its name) leaves the log without a
   * segment to append to: it takes no more records, and a restart recovers every committed block.
   */
  @Test
  void failedRotation_stopsTheLog_andARestartRecovers() throws IOException {
    MemoryStateStore db = new MemoryStateStore();
    Sdb sdb = open(db);
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 3, SEED);
    String current = lastSegment().getFileName().toString();
    long next = Long.parseLong(current.substring(4, 14)) + 1;
    Files.createFile(dir.resolve(String.format("wal-%010d.log", next)));

    sdb.flush(); // the store has the blocks; the log could not move on to a new segment

    assertThat(db.flushedHeight()).isEqualTo(3);
    assertThatThrownBy(() -> Scenario.blocks(sdb, 4, 4, SEED))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("takes no more records (rotating the write-ahead log");
    Sdb recovered = open(db);
    assertThat(recovered.lastHeight()).isEqualTo(3);
    Scenario.blocks(recovered, 4, 5, SEED);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(5, 99, 0));
  }

  /** Runs {@code call}, which must fail because the log's next fsync fails. */
  private static void failNextFsync(Runnable call) {
    FileWal.failNextSyncForTest = new IOException("simulated fsync failure");
    try {
      assertThatThrownBy(call::run).isInstanceOf(StoreException.class)
          .hasRootCauseMessage("simulated fsync failure");
    } finally {
      FileWal.failNextSyncForTest = null;
    }
  }

  @Test
  void walOff_crash_losesExactlyTheUnflushedBlocks() {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = Sdb.builder().schema(TestModels.schema()).store(db).manualFlush().noWal().open();
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 3, SEED);
    crashed.flush();
    Scenario.blocks(crashed, 4, 5, SEED);

    Sdb recovered = Sdb.builder().schema(TestModels.schema()).store(db).manualFlush().noWal()
        .open();

    assertThat(recovered.lastHeight()).isEqualTo(3);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(3, 99, 0));
  }

  @Test
  void groupCommitAndNever_recoverAfterAProcessCrash() {
    for (FsyncPolicy policy : List.of(FsyncPolicy.every(Duration.ofMillis(5)),
        FsyncPolicy.never())) {
      MemoryStateStore db = new MemoryStateStore();
      Sdb crashed = open(db, policy);
      Scenario.genesis(crashed);
      Scenario.blocks(crashed, 1, 3, SEED);

      Sdb recovered = open(db, policy);

      assertThat(recovered.lastHeight()).as(policy.toString()).isEqualTo(3);
      assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(3, 99, 0));
      recovered.close();
    }
  }

  @Test
  void tornTail_isCutAndReported_theBlocksBeforeItSurvive() throws IOException {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 4, SEED);
    Path segment = lastSegment();
    long size = Files.size(segment);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.truncate(size - 7); // block 4's record loses its last bytes
    }

    Sdb recovered = open(db);

    assertThat(recovered.lastHeight()).isEqualTo(3);
    assertThat(Scenario.dump(recovered, 12)).isEqualTo(expected(3, 99, 0));
    assertThat(Files.size(segment)).isLessThan(size - 7);
  }

  @Test
  void garbageAfterTheLastRecord_isCut() throws IOException {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 2, SEED);
    Path segment = lastSegment();
    long whole = Files.size(segment);
    Files.write(segment, new byte[] {0, 0, 1}, StandardOpenOption.APPEND);

    Sdb recovered = open(db);
    assertThat(recovered.lastHeight()).isEqualTo(2);
    assertThat(Files.size(segment)).as("the garbage is cut off").isEqualTo(whole);
    Scenario.blocks(recovered, 3, 3, SEED); // logged after the cut, so it reads back
    assertThat(open(db).lastHeight()).isEqualTo(3);
  }

  @Test
  void corruptionBeforeTheTail_stopsTheStartup_andAppliesNothing() throws IOException {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 3, SEED);
    Path segment = lastSegment();
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, 40);
      b.put(0, (byte) (b.get(0) ^ 0x55));
      ch.write(b.flip(), 40); // inside the genesis record, with blocks 1..3 after it
    }

    assertThatThrownBy(() -> open(db)).isInstanceOf(StoreException.class)
        .hasMessageContaining("corrupt at byte 8").hasMessageContaining("refusing to start");
    assertThat(db.flushedHeight()).isEqualTo(-1);
  }

  /** A damaged length field is not a torn write when whole records follow it. */
  @Test
  void damagedLengthBeforeWholeRecords_stopsTheStartup_insteadOfCuttingThem() throws IOException {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 3, SEED);
    Path segment = lastSegment();
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(4).putInt(0, 0x7fff_0000), 8); // the genesis record's length
    }
    long size = Files.size(segment);

    assertThatThrownBy(() -> open(db)).isInstanceOf(StoreException.class)
        .hasMessageContaining("corrupt at byte 8").hasMessageContaining("refusing to start");
    assertThat(Files.size(segment)).isEqualTo(size);
  }

  /**
   * Under never() (and group commit) a power loss may keep a later record and lose an earlier
   * one, so the same damage is cut as a torn tail: the blocks behind it were not promised.
   */
  @Test
  void damagedLengthBeforeWholeRecords_underPolicyNever_isCutAsATornTail() throws IOException {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db, FsyncPolicy.never());
    Scenario.genesis(crashed);
    crashed.flush();
    Scenario.blocks(crashed, 1, 3, SEED);
    Path segment = lastSegment();
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(4).putInt(0, 0x7fff_0000), 8); // block 1's record's length
    }

    Sdb recovered = open(db, FsyncPolicy.never());

    assertThat(recovered.lastHeight()).isZero();
    assertThat(Files.size(segment)).isEqualTo(8);
  }

  /** The same damage in the last record is a torn write, as before: only that record goes. */
  @Test
  void damagedLengthOfTheLastRecord_isCutAsATornWrite() throws IOException {
    MemoryStateStore db = new MemoryStateStore();
    Sdb crashed = open(db);
    Scenario.genesis(crashed);
    Scenario.blocks(crashed, 1, 3, SEED);
    Path segment = lastSegment();
    long lastRecord = Files.size(segment);
    Scenario.blocks(crashed, 4, 4, SEED);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(4).putInt(0, 0x7fff_0000), lastRecord);
    }

    Sdb recovered = open(db);

    assertThat(recovered.lastHeight()).isEqualTo(3);
    assertThat(Files.size(segment)).isEqualTo(lastRecord);
  }

  @Test
  void rollbackRecords_surviveTheDeletionOfFlushedSegments() {
    // a crash during a rollback, finished by the next start in a new segment; then a flush that
    // could delete that newer segment while the older one with the rollback's start stays
    MemoryStateStore db = new MemoryStateStore();
    Sdb first = open(new CrashingRevert(db));
    Scenario.genesis(first);
    Scenario.blocks(first, 1, 4, SEED);
    first.flush();
    Scenario.blocks(first, 5, 6, SEED); // the segment now holds block 6 and, next, the rollback
    assertThatThrownBy(() -> first.rollbackBlock(3)).isInstanceOf(Error.class);
    Sdb second = open(db); // finishes the rollback: store at 3
    Scenario.blocks(second, 4, 5, 88);
    second.flush();        // flushed to 5, below the first segment's block 6

    Sdb third = open(db);

    assertThat(third.lastHeight()).isEqualTo(5);
    assertThat(Scenario.dump(third, 12)).isEqualTo(expected(5, 3, 88));
  }

  @Test
  void flushedSegments_areDeleted() throws IOException {
    MemoryStateStore db = new MemoryStateStore();
    Sdb sdb = open(db);
    Scenario.genesis(sdb);
    Scenario.blocks(sdb, 1, 3, SEED);
    sdb.flush();
    Scenario.blocks(sdb, 4, 4, SEED);
    sdb.flush();

    assertThat(segments()).hasSize(1);
    assertThat(Files.size(segments().get(0))).isEqualTo(8); // just the magic: nothing unflushed
    sdb.close();
  }

  /** A store that records its close, and then fails it. */
  private static final class FailingClose extends FailingStoreBase {
    volatile boolean closed;

    FailingClose(StateStore delegate) {
      super(delegate);
    }

    @Override
    public void close() {
      closed = true;
      throw new StoreException("injected close failure");
    }
  }

  @Test
  void replayThatDrifts_stopsTheStartup_flushesNothingLater_andClosesTheStore() {
    // the log: block 0 (flushed), then block 1 (a +1) and block 2 (b +1) only in the log
    Sdb crashed = open(new MemoryStateStore());
    crashed.beginBlock(TestModels.block(0));
    crashed.create("Account", Map.of("address", "a", "gny", 10));
    crashed.create("Account", Map.of("address", "b", "gny", 10));
    crashed.commitBlock();
    crashed.flush();
    for (String account : List.of("a", "b")) {
      crashed.beginBlock(TestModels.block(crashed.lastHeight() + 1));
      crashed.increase("Account", Map.of("gny", 1), Map.of("address", account));
      crashed.commitBlock();
    }
    // a database whose block 0 gave b another balance: block 1 replays, block 2 drifts
    MemoryStateStore db = new MemoryStateStore();
    try (Sdb other = Sdb.builder().schema(TestModels.schema()).store(db).noWal().open()) {
      other.beginBlock(TestModels.block(0));
      other.create("Account", Map.of("address", "a", "gny", 10));
      other.create("Account", Map.of("address", "b", "gny", 99));
      other.commitBlock();
    }
    FailingClose store = new FailingClose(db);
    // a scheduler of the test's own, so that a flusher left behind shows as a task in its queue
    java.util.concurrent.ScheduledThreadPoolExecutor exec =
        new java.util.concurrent.ScheduledThreadPoolExecutor(1);
    try {
      assertThatThrownBy(() -> Sdb.builder().schema(TestModels.schema()).store(store).wal(dir)
          .flushScheduler(exec).flushInterval(Duration.ofMillis(20)).open())
          .isExactlyInstanceOf(StateDriftException.class)
          .hasMessageContaining("replay of block 2")
          .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
              .containsExactly("injected close failure"));

      assertThat(exec.getQueue()).as("no flush left scheduled").isEmpty();
      assertThat(exec.getTaskCount()).as("no flush ever submitted").isZero();
      assertThat(db.flushedHeight()).isEqualTo(0);
      assertThat(db.applyCalls()).isEqualTo(1);
      assertThat(store.closed).isTrue();
    } finally {
      exec.shutdownNow();
    }
  }

  /** Refused before anything starts, and the store (its connection pools) closed. */
  @Test
  void durableStore_withoutLogChoice_isRefused_andClosed() {
    AtomicBoolean closed = new AtomicBoolean();
    FailingStore durable = new FailingStore(new MemoryStateStore()) {
      @Override
      public boolean isDurable() {
        return true;
      }

      @Override
      public void close() {
        closed.set(true);
        super.close();
      }
    };
    assertThatThrownBy(() -> Sdb.builder().schema(TestModels.schema()).store(durable).open())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call wal(directory), or noWal()");
    assertThat(closed).isTrue();
  }

  @Test
  void openWithoutASchema_isRefused_andClosesTheStore() {
    AtomicBoolean closed = new AtomicBoolean();
    FailingStore store = new FailingStore(new MemoryStateStore()) {
      @Override
      public void close() {
        closed.set(true);
        super.close();
      }
    };
    assertThatThrownBy(() -> Sdb.builder().store(store).noWal().open())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("schema must be set");
    assertThat(closed).isTrue();
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private Path lastSegment() throws IOException {
    List<Path> all = segments();
    return all.get(all.size() - 1);
  }

  /** The next start on {@code db} resumes at {@code height}, with the state of that block. */
  private void assertRestartsAt(MemoryStateStore db, long height) {
    Sdb restarted = open(db);
    assertThat(restarted.lastHeight()).isEqualTo(height);
    assertThat(Scenario.dump(restarted, 12)).isEqualTo(expected(height, 99, 0));
    restarted.close();
  }

  /** A test hook that throws an OutOfMemoryError with {@code message} at {@code point}. */
  private static Consumer<String> outOfMemoryAt(String point, String message) {
    return p -> {
      if (p.equals(point)) {
        throw new OutOfMemoryError(message);
      }
    };
  }
}
