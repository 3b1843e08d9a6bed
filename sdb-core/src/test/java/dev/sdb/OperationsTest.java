package dev.sdb;

import static dev.sdb.TestModels.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.TestModels.Account;
import dev.sdb.TestModels.Transfer;
import dev.sdb.store.MemoryStateStore;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperationsTest {
  private final MemoryStateStore store = new MemoryStateStore();
  private final List<ChangeSet> committed = new ArrayList<>();
  private Sdb sdb;

  @BeforeEach
  void open() {
    sdb = Sdb.builder().schema(TestModels.schema()).store(store).manualFlush()
        .listener(new SdbListener() {
          @Override
          public void blockCommitted(ChangeSet changeSet) {
            committed.add(changeSet);
          }
        }).open();
    sdb.beginBlock(block(0));
  }

  @AfterEach
  void invariants() {
    assertThat(sdb.invariantsHold()).isTrue();
  }

  private static Map<String, Object> addr(String a) {
    return Map.of("address", a);
  }

  /**
   * A listener that throws reaches the caller as a ListenerException that says the change stands,
   * and the listeners after it still hear of it.
   */
  @Test
  void aFailingListener_doesNotSilenceTheOthers_andItsExceptionReachesTheCaller() {
    List<String> heard = new ArrayList<>();
    try (Sdb s = Sdb.builder().schema(TestModels.schema()).store(new MemoryStateStore())
        .manualFlush()
        .listener(new SdbListener() {
          @Override
          public void blockCommitted(ChangeSet changeSet) {
            throw new IllegalStateException("listener bug on commit");
          }

          @Override
          public void rolledBack(long fromHeight, long toHeight) {
            throw new IllegalStateException("listener bug on rollback");
          }
        })
        .listener(new SdbListener() {
          @Override
          public void blockCommitted(ChangeSet changeSet) {
            heard.add("committed " + changeSet.height());
          }

          @Override
          public void rolledBack(long fromHeight, long toHeight) {
            heard.add("rolledBack " + fromHeight + " -> " + toHeight);
          }
        }).open()) {
      s.beginBlock(block(0));
      assertThatThrownBy(s::commitBlock).isInstanceOf(ListenerException.class)
          .hasMessageStartingWith("block 0 is committed, but listener ")
          .hasMessageContaining("failed in blockCommitted: ")
          .cause().isInstanceOf(IllegalStateException.class).hasMessage("listener bug on commit");
      assertThat(s.lastHeight()).as("the block stands").isZero();
      s.beginBlock(block(1));
      assertThatThrownBy(s::commitBlock).isInstanceOf(ListenerException.class)
          .hasMessageStartingWith("block 1 is committed, but listener ")
          .hasRootCauseMessage("listener bug on commit");
      assertThatThrownBy(() -> s.rollbackBlock(0)).isInstanceOf(ListenerException.class)
          .hasMessageStartingWith("the rollback from height 1 to 0 is done, but listener ")
          .hasMessageContaining("failed in rolledBack: ")
          .hasRootCauseMessage("listener bug on rollback");

      assertThat(heard).containsExactly("committed 0", "committed 1", "rolledBack 1 -> 0");
      assertThat(s.lastHeight()).isZero();
    }
  }

  /** Two failing listeners: the first one's exception is the cause, the second's suppressed. */
  @Test
  void twoFailingListeners_theFirstIsTheCause_theSecondIsSuppressed_andTheBlockStands() {
    try (Sdb s = Sdb.builder().schema(TestModels.schema()).store(new MemoryStateStore())
        .manualFlush()
        .listener(new SdbListener() {
          @Override
          public void blockCommitted(ChangeSet changeSet) {
            throw new IllegalStateException("first");
          }
        })
        .listener(new SdbListener() {
          @Override
          public void blockCommitted(ChangeSet changeSet) {
            throw new IllegalArgumentException("second");
          }
        }).open()) {
      s.beginBlock(block(0));
      s.create("Account", addr("G1"));

      assertThatThrownBy(s::commitBlock).isInstanceOfSatisfying(ListenerException.class, e -> {
        assertThat(e.getCause()).hasMessage("first");
        assertThat(e.getSuppressed()).hasSize(1);
        assertThat(e.getSuppressed()[0]).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("second");
      });
      assertThat(s.lastHeight()).isZero();
      assertThat(s.has("Account", addr("G1"))).isTrue();
      s.beginBlock(block(1)); // the next block follows the one that stands
      assertThatThrownBy(s::commitBlock).hasMessageStartingWith("block 1 is committed");
      assertThat(s.lastHeight()).isEqualTo(1);
    }
  }

  /**
   * Flushes also run in the background, where no caller could hear of a listener's failure: it is
   * logged, the blocks count as flushed, and the listeners after it still hear of the flush.
   */
  @Test
  void aFailingFlushedListener_doesNotFailTheFlush_norSilenceTheOthers() {
    List<Long> heard = new ArrayList<>();
    MemoryStateStore own = new MemoryStateStore();
    try (Sdb s = Sdb.builder().schema(TestModels.schema()).store(own).manualFlush()
        .listener(new SdbListener() {
          @Override
          public void flushed(long height) {
            throw new IllegalStateException("listener bug");
          }
        })
        .listener(new SdbListener() {
          @Override
          public void flushed(long height) {
            heard.add(height);
          }
        }).open()) {
      s.beginBlock(block(0));
      s.create("Account", addr("G1"));
      s.commitBlock();

      s.flush();

      assertThat(s.flushedHeight()).isEqualTo(0);
      assertThat(own.flushedHeight()).isEqualTo(0);
      assertThat(heard).containsExactly(0L);
      assertThat(s.stats().pendingBlocks()).isZero();
    }
  }

  @Test
  void create_fillsDefaultsAndVersion_returnsFullEntity() {
    Map<String, Object> e = sdb.create("Account", Map.of("address", "G1"));

    assertThat(e.keySet()).containsExactly("address", "username", "gny", "isDelegate", "_version_");
    assertThat(e).containsEntry("address", "G1").containsEntry("username", null)
        .containsEntry("gny", BigInteger.ZERO).containsEntry("isDelegate", 0)
        .containsEntry("_version_", 1L);
    assertThatThrownBy(() -> e.put("gny", BigInteger.TEN))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(sdb.get("Account", addr("G1"))).contains(e);
  }

  @Test
  void create_typedRecord_returnsRecordWithVersion() {
    Account a = sdb.create(new Account("G1", "alice", BigInteger.valueOf(7), 0, 0));

    assertThat(a).isEqualTo(new Account("G1", "alice", BigInteger.valueOf(7), 0, 1));
    assertThat(sdb.load(Account.class, Map.of("username", "alice"))).contains(a);
    assertThat(sdb.getAll(Account.class)).containsExactly(a);
  }

  @Test
  void createOrLoad_createsOnceThenLoads() {
    Created<Map<String, Object>> first = sdb.createOrLoad("Account",
        Map.of("address", "G1", "gny", 5));
    Created<Map<String, Object>> second = sdb.createOrLoad("Account",
        Map.of("address", "G1", "gny", 99));

    assertThat(first.created()).isTrue();
    assertThat(second.created()).isFalse();
    assertThat(second.entity().get("gny")).isEqualTo(BigInteger.valueOf(5));
    Created<Account> typed = sdb.createOrLoad(new Account("G2", null, BigInteger.ONE, 0, 0));
    assertThat(typed.created()).isTrue();
    assertThat(typed.entity().gny()).isEqualTo(BigInteger.ONE);
  }

  /** Bad input fails as create's does, whether or not the entity exists (the original ignored it). */
  @Test
  void createOrLoad_badValues_failLikeCreate_evenWhenTheEntityExists() {
    sdb.createOrLoad("Account", Map.of("address", "G1", "gny", 5));

    assertThatThrownBy(() -> sdb.createOrLoad("Account", Map.of("address", "G1", "gnyy", 5)))
        .isInstanceOf(UnknownPropertyException.class).hasMessageContaining("gnyy");
    assertThatThrownBy(() -> sdb.createOrLoad("Account", Map.of("address", "G1", "gny", "many")))
        .isInstanceOf(InvalidValueException.class).hasMessageContaining("Account")
        .hasMessageContaining("gny");
    assertThatThrownBy(() -> sdb.createOrLoad("Account", Map.of("address", 7)))
        .isInstanceOf(InvalidValueException.class).hasMessageContaining("address");
    assertThatThrownBy(() -> sdb.createOrLoad("Account", Map.of("gny", 5)))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("createOrLoad needs every primary key column");
    assertThat(sdb.get("Account", addr("G1")).orElseThrow().get("gny"))
        .isEqualTo(BigInteger.valueOf(5));
  }

  @Test
  void update_changedValues_bumpVersionOncePerCall() {
    sdb.create("Account", Map.of("address", "G1"));
    sdb.update("Account", Map.of("gny", 10, "isDelegate", 1), addr("G1"));
    sdb.update("Account", Map.of("username", "bob"), addr("G1"));

    assertThat(sdb.get("Account", addr("G1")).orElseThrow())
        .containsEntry("gny", BigInteger.TEN).containsEntry("isDelegate", 1)
        .containsEntry("username", "bob").containsEntry("_version_", 3L);
  }

  @Test
  void update_unchangedValue_recordsNoDelta() {
    sdb.create("Account", Map.of("address", "G1", "gny", 10));
    sdb.update("Account", Map.of("gny", "10", "address", "G1"), addr("G1"));
    sdb.commitBlock();

    assertThat(committed.get(0).deltas()).hasSize(1);
    assertThat(sdb.get("Account", addr("G1")).orElseThrow()).containsEntry("_version_", 1L);
  }

  @Test
  void update_byUniqueKey_andByCompositeKeyInAnyOrder() {
    sdb.create("Account", Map.of("address", "G1", "username", "alice"));
    sdb.update("Account", Map.of("gny", 3), Map.of("username", "alice"));
    sdb.create("Balance", Map.of("address", "G1", "currency", "GNY"));
    sdb.increase("Balance", Map.of("balance", 4), Map.of("currency", "GNY", "address", "G1"));

    assertThat(sdb.get("Account", addr("G1")).orElseThrow()).containsEntry("gny",
        BigInteger.valueOf(3));
    assertThat(sdb.get("Balance", Map.of("address", "G1", "currency", "GNY")).orElseThrow())
        .containsEntry("balance", BigInteger.valueOf(4)).containsEntry("_version_", 2L);
  }

  @Test
  void update_uniqueValue_movesTheIndex() {
    sdb.create("Account", Map.of("address", "G1", "username", "alice"));
    sdb.update("Account", Map.of("username", "carol"), addr("G1"));

    assertThat(sdb.load("Account", Map.of("username", "alice"))).isEmpty();
    assertThat(sdb.load("Account", Map.of("username", "carol"))).isPresent();
    sdb.create("Account", Map.of("address", "G2", "username", "alice"));
    assertThat(sdb.load("Account", Map.of("username", "alice")).orElseThrow())
        .containsEntry("address", "G2");
  }

  @Test
  void uniqueKey_emptyStringAndZeroAreValues_nullIsNot() {
    sdb.create("Account", Map.of("address", "G1", "username", ""));
    sdb.create("Account", Map.of("address", "G2"));
    sdb.create("Account", Map.of("address", "G3"));

    assertThatThrownBy(() -> sdb.create("Account", Map.of("address", "G4", "username", "")))
        .isInstanceOf(DuplicateKeyException.class);
    sdb.create("Delegate", Map.of("address", "D1", "username", "d1", "region", "eu", "rank", 0));
    assertThatThrownBy(() -> sdb.create("Delegate",
        Map.of("address", "D2", "username", "d2", "region", "eu", "rank", 0)))
        .isInstanceOf(DuplicateKeyException.class).hasMessageContaining("unique key (region, rank)");
    sdb.create("Delegate", Map.of("address", "D3", "username", "d3", "region", "eu"));
    sdb.create("Delegate", Map.of("address", "D4", "username", "d4", "region", "eu"));
  }

  @Test
  void increase_isExactForEveryIntegerType_andAcceptsNumericStrings() {
    sdb.create("Account", Map.of("address", "G1", "gny", new BigInteger("39999999990000000")));
    sdb.create("Delegate", Map.of("address", "D1", "username", "d1", "rank", 1));

    Map<String, Object> r = sdb.increase("Account",
        Map.of("gny", "-500000000", "isDelegate", 1L), addr("G1"));
    Map<String, Object> big = sdb.increase("Account",
        Map.of("gny", new BigInteger("99999999999999999999999")), addr("G1"));
    Map<String, Object> d = sdb.increase("Delegate",
        Map.of("votes", Long.MAX_VALUE - 1, "rank", "41"), Map.of("username", "d1"));

    assertThat(r).containsExactlyInAnyOrderEntriesOf(Map.of("gny",
        new BigInteger("39999999490000000"), "isDelegate", 1));
    assertThat(big.get("gny")).isEqualTo(new BigInteger("100000039999999489999999"));
    assertThat(d).containsEntry("votes", Long.MAX_VALUE - 1).containsEntry("rank", 42);
    assertThat(sdb.get("Account", addr("G1")).orElseThrow()).containsEntry("_version_", 3L);
  }

  @Test
  void increase_ofANullProperty_startsFromZero() {
    sdb.create("Delegate", Map.of("address", "D1", "username", "d1")); // rank: nullable, null

    assertThat(sdb.increase("Delegate", Map.of("rank", 5), Map.of("address", "D1")))
        .containsEntry("rank", 5);
    assertThat(sdb.load("Delegate", Map.of("address", "D1")).orElseThrow())
        .containsEntry("rank", 5).containsEntry("_version_", 2L);
  }

  @Test
  void increase_byZero_recordsNothing() {
    sdb.create("Account", Map.of("address", "G1", "gny", 5));
    assertThat(sdb.increase("Account", Map.of("gny", 0), addr("G1")))
        .containsEntry("gny", BigInteger.valueOf(5));
    sdb.commitBlock();
    assertThat(committed.get(0).deltas()).hasSize(1);
  }

  @Test
  void del_byPrimaryOrUniqueKey_entityIsGone() {
    sdb.create("Account", Map.of("address", "G1", "username", "alice"));
    sdb.create("Account", Map.of("address", "G2"));
    sdb.del("Account", Map.of("username", "alice"));
    sdb.del("Account", addr("G2"));

    assertThat(sdb.has("Account", addr("G1"))).isFalse();
    assertThat(sdb.getAll("Account")).isEmpty();
    assertThat(sdb.load("Account", Map.of("username", "alice"))).isEmpty();
  }

  @Test
  void deletedEntity_inStore_isNotResurrected() {
    sdb.create("Transfer", transfer("t1"));
    sdb.commitBlock();
    sdb.flush();
    sdb.beginBlock(block(1));
    sdb.del("Transfer", Map.of("tid", "t1"));

    assertThat(sdb.load("Transfer", Map.of("tid", "t1"))).isEmpty();
    assertThat(sdb.has("Transfer", Map.of("tid", "t1"))).isFalse();
    assertThatThrownBy(() -> sdb.update("Transfer", Map.of("currency", "X"), Map.of("tid", "t1")))
        .isInstanceOf(EntityNotFoundException.class);
    sdb.create("Transfer", transfer("t1"));
    assertThat(sdb.load("Transfer", Map.of("tid", "t1"))).isPresent();
  }

  @Test
  void getAll_returnsPrimaryKeyOrder_andGetRejectsNormalModels() {
    for (String a : List.of("G3", "G1", "G2")) {
      sdb.create("Account", Map.of("address", a));
    }
    assertThat(sdb.getAll("Account")).extracting(m -> m.get("address"))
        .containsExactly("G1", "G2", "G3");
    assertThatThrownBy(() -> sdb.getAll("Transfer")).isInstanceOf(NotAMemoryModelException.class)
        .hasMessageContaining("memory models only");
    assertThatThrownBy(() -> sdb.get("Transfer", Map.of("tid", "x")))
        .isInstanceOf(NotAMemoryModelException.class).hasMessageContaining("Transfer is a normal model");
  }

  @Test
  void returnedValues_cannotChangeState() {
    byte[] avatar = {1, 2, 3};
    sdb.create("Delegate", Map.of("address", "D1", "username", "d1", "avatar", avatar));
    avatar[0] = 9;
    byte[] out = (byte[]) sdb.load("Delegate", addr("D1")).orElseThrow().get("avatar");
    out[1] = 9;

    assertThat((byte[]) sdb.load("Delegate", addr("D1")).orElseThrow().get("avatar"))
        .containsExactly(1, 2, 3);
  }

  @Test
  void lock_blankName_isRejected() {
    assertThatThrownBy(() -> sdb.lock(" ")).isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("lock name must not be blank");
  }

  @Test
  void lock_isPerBlock_andReleasedByCommit() {
    sdb.lock("basic.transfer@tx1");
    assertThatThrownBy(() -> sdb.lock("basic.transfer@tx1"))
        .isInstanceOf(LockConflictException.class).hasMessageContaining("basic.transfer@tx1");
    sdb.commitBlock();
    sdb.beginBlock(block(1));

    sdb.lock("basic.transfer@tx1");
    assertThat(sdb.isLocked("basic.transfer@tx1")).isTrue();
  }

  @Test
  void commitBlock_returnsHeight_andChangeSetIsImmutable() {
    sdb.create("Account", Map.of("address", "G1"));
    assertThat(sdb.commitBlock()).isEqualTo(0);
    assertThat(sdb.lastHeight()).isEqualTo(0);
    ChangeSet set = committed.get(0);

    assertThat(set.height()).isEqualTo(0);
    assertThatThrownBy(() -> set.deltas().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void normalModel_missInCache_isServedFromTheStore() {
    sdb.create("Transfer", transfer("t1"));
    sdb.commitBlock();
    sdb.close();
    Sdb reopened = TestModels.open(store);

    assertThat(reopened.lastHeight()).isEqualTo(0);
    assertThat(reopened.load(Transfer.class, Map.of("tid", "t1")).orElseThrow().amount())
        .isEqualTo(BigInteger.TEN);
    assertThat(reopened.stats().cacheMisses()).isEqualTo(1);
    reopened.load("Transfer", Map.of("tid", "t1"));
    assertThat(reopened.stats().cacheHits()).isEqualTo(1);
    sdb = reopened;
  }

  static Map<String, Object> transfer(String tid) {
    return Map.of("tid", tid, "senderId", "G1", "recipientId", "G2", "currency", "GNY",
        "amount", 10, "timestamp", 1, "height", 0);
  }
}
