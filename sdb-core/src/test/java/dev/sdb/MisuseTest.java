package dev.sdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.sdb.schema.Id;
import dev.sdb.schema.Model;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Property;
import dev.sdb.schema.Schema;
import dev.sdb.store.MemoryStateStore;
import dev.sdb.store.StateStore;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input and misuse: every rejected call throws its specific, documented exception, names the
 * model, key and property in its message, and leaves the engine exactly as before the call.
 *
 * <p>Each case runs twice, on two engines over two fresh stores ("twins"): the same set-up, then on
 * twin A the bad call, on twin B nothing. On A the observable state (heights, current block,
 * pending blocks, pinned entities, every memory entity, the watched normal entities, the watched
 * locks, the store's rows and blocks, the listener's events, the invariants) must be identical
 * before and after the bad call. Then both twins run the same valid follow-up (the case's own
 * step, then a write to every existing entity), commit and flush; the change sets
 * ({@link ChangeSet#deltasJson()} as seen by an {@link SdbListener}) and the final state of A must
 * equal B's. So a bad call that left anything behind (a row, a unique index entry, a lock, a
 * savepoint, a version bump, a pending delta) shows up as a difference.
 */
class MisuseTest {

  // ------------------------------------------------------------------ unknown model / property

  @Test
  void create_unknownModelName_throwsUnknownModelAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.create("Acount", ordered("address", "c")))
        .fails(UnknownModelException.class, "Acount")
        .thenStillWorks(f -> f.sdb.create("Account", ordered("address", "c")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("callsOnUnknownModel")
  void anyCall_unknownModelName_throwsUnknownModelAndChangesNothing(Step call) {
    given(MisuseTest::blockOpen)
        .when(call)
        .fails(UnknownModelException.class, "Acount")
        .thenStillWorks();
  }

  static Stream<Arguments> callsOnUnknownModel() {
    Map<String, Object> key = ordered("address", "a");
    return Stream.of(
        call("update", f -> f.sdb.update("Acount", ordered("gny", 1), key)),
        call("increase", f -> f.sdb.increase("Acount", ordered("gny", 1), key)),
        call("del", f -> f.sdb.del("Acount", key)),
        call("createOrLoad", f -> f.sdb.createOrLoad("Acount", key)),
        call("load", f -> f.sdb.load("Acount", key)),
        call("get", f -> f.sdb.get("Acount", key)),
        call("getAll", f -> f.sdb.getAll("Acount")),
        call("has", f -> f.sdb.has("Acount", key)));
  }

  /** A record that is not part of the schema. */
  record NotAModel(String address, BigInteger gny) {}

  @Test
  void create_unknownModelClass_throwsUnknownModelAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.create(new NotAModel("c", BigInteger.ONE)))
        .fails(UnknownModelException.class, "NotAModel")
        .thenStillWorks(f -> f.sdb.create("Account", ordered("address", "c")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("callsOnUnknownModelClass")
  void anyCall_unknownModelClass_throwsUnknownModelAndChangesNothing(Step call) {
    given(MisuseTest::blockOpen)
        .when(call)
        .fails(UnknownModelException.class, "NotAModel")
        .thenStillWorks();
  }

  static Stream<Arguments> callsOnUnknownModelClass() {
    Map<String, Object> key = ordered("address", "a");
    return Stream.of(
        call("update", f -> f.sdb.update(NotAModel.class, ordered("gny", 1), key)),
        call("increase", f -> f.sdb.increase(NotAModel.class, ordered("gny", 1), key)),
        call("del", f -> f.sdb.del(NotAModel.class, key)),
        call("createOrLoad", f -> f.sdb.createOrLoad(new NotAModel("a", BigInteger.ONE))),
        call("load", f -> f.sdb.load(NotAModel.class, key)),
        call("get", f -> f.sdb.get(NotAModel.class, key)),
        call("getAll", f -> f.sdb.getAll(NotAModel.class)),
        call("has", f -> f.sdb.has(NotAModel.class, key)));
  }

  @Test
  void create_unknownProperty_throwsUnknownPropertyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.create("Account", ordered("address", "c", "username", "carol",
            "nickname", "x")))
        .fails(UnknownPropertyException.class, "Account", "address=c", "nickname")
        // the failed create must not have reserved "c" nor "carol"
        .thenStillWorks(f -> f.sdb.create("Account", ordered("address", "c", "username", "carol")));
  }

  /** A null value counts as given: its name must be a property too, beside nulls that are. */
  @Test
  void create_unknownPropertyWithNullValue_throwsUnknownPropertyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.create("Account", ordered("address", "c", "username", null,
            "nickname", null)))
        .fails(UnknownPropertyException.class, "Account", "address=c", "nickname")
        .thenStillWorks(f -> f.sdb.create("Account", ordered("address", "c", "username", null)));
  }

  @Test
  void update_unknownPropertyAfterValidChange_throwsUnknownPropertyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.update("Account", ordered("gny", 7, "nickname", "x"),
            ordered("address", "a")))
        .fails(UnknownPropertyException.class, "Account", "address=a", "nickname")
        .thenStillWorks(f -> f.sdb.update("Account", ordered("gny", 7), ordered("address", "a")));
  }

  @Test
  void increase_unknownPropertyAfterValidDelta_throwsUnknownPropertyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.increase("Account", ordered("gny", 5, "bonus", 1),
            ordered("address", "a")))
        .fails(UnknownPropertyException.class, "Account", "address=a", "bonus")
        .thenStillWorks();
  }

  @Test
  void update_versionProperty_throwsUnknownPropertyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.update("Account", ordered("gny", 1, "_version_", 9L),
            ordered("address", "a")))
        .fails(UnknownPropertyException.class, "Account", "address=a", "_version_")
        .thenStillWorks();
  }

  @Test
  void increase_versionProperty_throwsUnknownPropertyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.increase("Account", ordered("_version_", 1), ordered("address", "a")))
        .fails(UnknownPropertyException.class, "Account", "address=a", "_version_")
        .thenStillWorks();
  }

  // ------------------------------------------------------------------ keys

  @ParameterizedTest(name = "{0}")
  @MethodSource("callsWithUnknownPropertyInKey")
  void anyCall_keyNamesUnknownProperty_throwsUnknownPropertyAndChangesNothing(Step call) {
    given(MisuseTest::blockOpen)
        .when(call)
        .fails(UnknownPropertyException.class, "Account", "addr=a", ".addr", "unknown property")
        .thenStillWorks();
  }

  static Stream<Arguments> callsWithUnknownPropertyInKey() {
    Map<String, Object> key = ordered("addr", "a");
    return Stream.of(
        call("update", f -> f.sdb.update("Account", ordered("gny", 1), key)),
        call("increase", f -> f.sdb.increase("Account", ordered("gny", 1), key)),
        call("del", f -> f.sdb.del("Account", key)),
        call("load", f -> f.sdb.load("Account", key)),
        call("get", f -> f.sdb.get("Account", key)),
        call("has", f -> f.sdb.has("Account", key)));
  }

  @Test
  void create_missingPrimaryKey_throwsInvalidKeyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.create("Account", ordered("username", "carol", "gny", 3)))
        .fails(InvalidKeyException.class, "Account", "address")
        .thenStillWorks(f -> f.sdb.create("Account", ordered("address", "c", "username", "carol")));
  }

  @Test
  void create_partialCompositeKey_throwsInvalidKeyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.create("Balance", ordered("address", "b", "balance", 1)))
        .fails(InvalidKeyException.class, "Balance", "address=b", "currency")
        .thenStillWorks(f -> f.sdb.create("Balance",
            ordered("address", "b", "currency", "GNY", "balance", 1)));
  }

  @Test
  void update_partialCompositeKey_throwsInvalidKeyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.update("Balance", ordered("balance", 1), ordered("address", "a")))
        .fails(InvalidKeyException.class, "Balance", "address=a", "currency")
        .thenStillWorks();
  }

  @Test
  void increase_keyThatIsNotAKey_throwsInvalidKeyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.increase("Account", ordered("gny", 1), ordered("gny", 1)))
        .fails(InvalidKeyException.class, "Account", "gny=1", "address", "username")
        .thenStillWorks();
  }

  @Test
  void del_primaryKeyPlusExtraProperty_throwsInvalidKeyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.del("Account", ordered("address", "a", "gny", 101)))
        .fails(InvalidKeyException.class, "Account", "address=a", "gny=101")
        .thenStillWorks();
  }

  @Test
  void update_wrongKeyType_throwsInvalidKeyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.update("Account", ordered("gny", 1), ordered("address", 42)))
        .fails(InvalidKeyException.class, "Account", "address=42", "address")
        .thenStillWorks();
  }

  @Test
  void update_nullKeyValue_throwsInvalidKeyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.update("Account", ordered("gny", 1), ordered("address", null)))
        .fails(InvalidKeyException.class, "Account", "address=null", "address")
        .thenStillWorks();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("callsWithANullArgument")
  void anyCall_withANullArgument_throwsItsSdbExceptionAndChangesNothing(String name, Step call,
      Class<? extends Throwable> type, String message) {
    given(MisuseTest::blockOpen)
        .when(call)
        .fails(type, message)
        .thenStillWorks();
  }

  static Stream<Arguments> callsWithANullArgument() {
    Map<String, Object> key = ordered("address", "a");
    return Stream.of(
        Arguments.of("create values", (Step) f -> f.sdb.create("Account", null),
            InvalidValueException.class, "create(Account): values must not be null"),
        Arguments.of("create entity", (Step) f -> f.sdb.create((TestModels.Account) null),
            InvalidValueException.class, "create: the entity must not be null"),
        Arguments.of("createOrLoad values", (Step) f -> f.sdb.createOrLoad("Account", null),
            InvalidValueException.class, "createOrLoad(Account): values must not be null"),
        Arguments.of("update changes", (Step) f -> f.sdb.update("Account", null, key),
            InvalidValueException.class, "update(Account): changes must not be null"),
        Arguments.of("update key", (Step) f -> f.sdb.update("Account", ordered("gny", 1), null),
            InvalidKeyException.class, "Account: update needs a key, got null"),
        Arguments.of("increase deltas", (Step) f -> f.sdb.increase("Account", null, key),
            InvalidValueException.class, "increase(Account): deltas must not be null"),
        Arguments.of("del key", (Step) f -> f.sdb.del("Account", null),
            InvalidKeyException.class, "Account: del needs a key, got null"),
        Arguments.of("load key", (Step) f -> f.sdb.load("Transfer", null),
            InvalidKeyException.class, "Transfer: load needs a key, got null"),
        Arguments.of("model class", (Step) f -> f.sdb.load((Class<?>) null, key),
            UnknownModelException.class, "the model class must not be null"),
        Arguments.of("beginBlock header", (Step) f -> f.sdb.beginBlock(null),
            InvalidValueException.class, "beginBlock: the block header must not be null"));
  }

  /** A class Jackson can read but not build: its entity must not be created before that fails. */
  @Model(memory = true)
  public static final class ReadOnlyAccount {
    @Id
    @Property(maxLength = 50)
    public final String address;

    public ReadOnlyAccount(String address) {
      this.address = address;
    }
  }

  @Test
  void createTyped_ofAClassThatCannotBeBuilt_createsNothing() {
    try (Sdb sdb = Sdb.builder().schema(Schema.of(ReadOnlyAccount.class))
        .store(new MemoryStateStore()).manualFlush().open()) {
      sdb.beginBlock(TestModels.block(0));

      assertThatThrownBy(() -> sdb.create(new ReadOnlyAccount("a")))
          .isInstanceOf(SdbException.class).hasMessageContaining(ReadOnlyAccount.class.getName());
      assertThatThrownBy(() -> sdb.createOrLoad(new ReadOnlyAccount("b")))
          .isInstanceOf(SdbException.class).hasMessageContaining(ReadOnlyAccount.class.getName());

      assertThat(sdb.getAll("ReadOnlyAccount")).isEmpty();
      assertThat(sdb.currentDeltasForTest()).isEmpty();
    }
  }

  @Test
  void bytesDefault_isACopy_soNoCallerChangesItForEveryone() {
    ModelSchema m = ModelSchema.builder("Blob").memory().string("id", 10)
        .column("data", dev.sdb.schema.ColumnType.BYTES).defaultValue(new byte[] {1}).primaryKey("id")
        .build();
    ((byte[]) m.column("data").defaultValue())[0] = 9;
    try (Sdb sdb = Sdb.builder().schema(Schema.builder().model(m).build())
        .store(new MemoryStateStore()).manualFlush().open()) {
      sdb.beginBlock(TestModels.block(0));
      assertThat((byte[]) sdb.create("Blob", Map.of("id", "x")).get("data")).containsExactly(1);
    }
  }

  @Test
  void blockHeader_withAMutableNumber_isRefused() {
    assertThatThrownBy(() -> new BlockHeader(1, "b1", "b0", 10,
        Map.of("fee", new java.util.concurrent.atomic.AtomicLong(5))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("header field 'fee'").hasMessageContaining("AtomicLong");
    assertThat(new BlockHeader(1, "b1", "b0", 10, Map.of("fee", BigInteger.TEN, "n", 1L,
        "ok", true)).fields()).containsEntry("fee", BigInteger.TEN);
  }

  /** Ids every database stores: refused at once, not by the database at every later flush. */
  @Test
  void blockHeader_withAnIdNoDatabaseStores_isRefused() {
    String longest = "a".repeat(BlockHeader.MAX_ID_LENGTH);
    assertThat(new BlockHeader(1, longest, longest, 10).id()).isEqualTo(longest);
    assertThatThrownBy(() -> new BlockHeader(1, longest + "a", "b0", 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("block 1: id: ")
        .hasMessageContaining("129");
    assertThatThrownBy(() -> new BlockHeader(1, "b1", "b\u00000", 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("block 1: prevBlockId: ").hasMessageContaining("NUL");
  }

  @Test
  void aDerivedTableNameTooLongForADatabase_isRefused_untilOneIsGiven() {
    String name = "VeryLong" + "ModelName".repeat(5); // 53 characters, 64 in snake case
    assertThatThrownBy(() -> ModelSchema.builder(name).string("id", 10).primaryKey("id").build())
        .isInstanceOf(dev.sdb.schema.SchemaException.class)
        .hasMessageContaining("derived from model " + name);
    assertThat(ModelSchema.builder(name).table("short_name").string("id", 10).primaryKey("id")
        .build().table()).isEqualTo("short_name");
  }

  // ------------------------------------------------------------------ duplicates

  @Test
  void create_duplicatePrimaryKeyInMemory_throwsDuplicateKeyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.create("Account", ordered("address", "a", "username", "newname",
            "gny", 1)))
        .fails(DuplicateKeyException.class, "Account", "address=a", "primary key")
        // the failed create must not have taken "newname" nor replaced a's row
        .thenStillWorks(f -> {
          assertThat(f.sdb.get("Account", ordered("address", "a")).orElseThrow())
              .containsEntry("gny", BigInteger.valueOf(101)).containsEntry("username", "alice");
          f.sdb.create("Account", ordered("address", "c", "username", "newname"));
        });
  }

  @Test
  void create_duplicatePrimaryKeyOfPendingNormalEntity_throwsDuplicateKeyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.create("Delegate", ordered("address", "d1", "username", "newname")))
        .fails(DuplicateKeyException.class, "Delegate", "address=d1", "primary key")
        .thenStillWorks(f -> f.sdb.create("Delegate",
            ordered("address", "d3", "username", "newname")));
  }

  @Test
  void create_duplicatePrimaryKeyOnlyInStore_throwsDuplicateKeyAndChangesNothing() {
    given(MisuseTest::storedThenReopened)
        .when(f -> f.sdb.create("Delegate", ordered("address", "d1", "username", "newname",
            "region", "us", "rank", 9)))
        .fails(DuplicateKeyException.class, "Delegate", "address=d1", "primary key")
        .thenStillWorks(f -> {
          assertThat(f.sdb.load("Delegate", ordered("address", "d1")).orElseThrow())
              .containsEntry("username", "del1").containsEntry("_version_", 1L);
          f.sdb.create("Delegate", ordered("address", "d3", "username", "newname",
              "region", "us", "rank", 9));
        });
  }

  @Test
  void create_duplicateTransferOnlyInStore_throwsDuplicateKeyAndChangesNothing() {
    given(MisuseTest::storedThenReopened)
        .when(f -> f.sdb.create("Transfer", transfer("t1", 99)))
        .fails(DuplicateKeyException.class, "Transfer", "tid=t1", "primary key")
        .thenStillWorks(f -> f.sdb.create("Transfer", transfer("t2", 99)));
  }

  @Test
  void create_duplicateUniqueInMemoryModel_throwsDuplicateKeyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.create("Account", ordered("address", "c", "username", "alice")))
        .fails(DuplicateKeyException.class, "Account", "address=c", "username", "alice",
            "address=a")
        .thenStillWorks(f -> {
          assertThat(f.sdb.load("Account", ordered("username", "alice")).orElseThrow())
              .containsEntry("address", "a");
          f.sdb.create("Account", ordered("address", "c", "username", "carol"));
        });
  }

  @Test
  void update_duplicateUniqueInMemoryModel_throwsDuplicateKeyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.update("Account", ordered("gny", 1, "username", "alice"),
            ordered("address", "b")))
        .fails(DuplicateKeyException.class, "Account", "address=b", "username", "alice")
        .thenStillWorks(f -> {
          // bob is still b's, alice still a's
          assertThat(f.sdb.load("Account", ordered("username", "bob")).orElseThrow())
              .containsEntry("address", "b");
          assertThat(f.sdb.load("Account", ordered("username", "alice")).orElseThrow())
              .containsEntry("address", "a");
        });
  }

  @Test
  void create_duplicateUniqueOnlyInStore_throwsDuplicateKeyAndChangesNothing() {
    given(MisuseTest::storedThenReopened)
        .when(f -> f.sdb.create("Delegate", ordered("address", "d3", "username", "del1")))
        .fails(DuplicateKeyException.class, "Delegate", "address=d3", "username", "del1",
            "address=d1")
        .thenStillWorks(f -> f.sdb.create("Delegate", ordered("address", "d3", "username", "del3")));
  }

  @Test
  void update_duplicateUniqueOnlyInStore_throwsDuplicateKeyAndChangesNothing() {
    given(MisuseTest::storedThenReopened)
        .when(f -> f.sdb.update("Delegate", ordered("username", "del1"), ordered("address", "d2")))
        .fails(DuplicateKeyException.class, "Delegate", "address=d2", "username", "del1")
        .thenStillWorks(f -> assertThat(f.sdb.load("Delegate", ordered("username", "del2")))
            .hasValueSatisfying(d -> assertThat(d).containsEntry("address", "d2")));
  }

  @Test
  void create_duplicateCompositeUniqueOfPendingEntity_throwsDuplicateKeyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.create("Delegate", ordered("address", "d3", "username", "del3",
            "region", "eu", "rank", 1)))
        .fails(DuplicateKeyException.class, "Delegate", "address=d3", "region", "rank",
            "[eu, 1]")
        .thenStillWorks(f -> f.sdb.create("Delegate", ordered("address", "d3", "username", "del3",
            "region", "eu", "rank", 3)));
  }

  @Test
  void update_duplicateCompositeUniqueOnlyInStore_throwsDuplicateKeyAndChangesNothing() {
    given(MisuseTest::storedThenReopened)
        .when(f -> f.sdb.update("Delegate", ordered("rank", 1), ordered("address", "d2")))
        .fails(DuplicateKeyException.class, "Delegate", "address=d2", "region", "rank",
            "[eu, 1]")
        .thenStillWorks(f -> f.sdb.update("Delegate", ordered("rank", 3), ordered("address", "d2")));
  }

  @Test
  void increase_intoCompositeUniqueOfPendingEntity_throwsDuplicateKeyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.increase("Delegate", ordered("votes", 5, "rank", 1),
            ordered("address", "d1")))
        .fails(DuplicateKeyException.class, "Delegate", "address=d1", "region", "rank",
            "[eu, 2]", "address=d2")
        .thenStillWorks(f -> {
          assertThat(f.sdb.load("Delegate", ordered("region", "eu", "rank", 2)).orElseThrow())
              .containsEntry("address", "d2");
          f.sdb.increase("Delegate", ordered("rank", 2), ordered("address", "d1"));
        });
  }

  @Test
  void increase_intoCompositeUniqueOnlyInStore_throwsDuplicateKeyAndChangesNothing() {
    given(MisuseTest::storedThenReopened)
        .when(f -> f.sdb.increase("Delegate", ordered("rank", -1), ordered("address", "d2")))
        .fails(DuplicateKeyException.class, "Delegate", "address=d2", "region", "rank",
            "[eu, 1]", "address=d1")
        .thenStillWorks(f -> {
          assertThat(f.sdb.load("Delegate", ordered("region", "eu", "rank", 1)).orElseThrow())
              .containsEntry("address", "d1");
          f.sdb.increase("Delegate", ordered("rank", 1), ordered("address", "d2"));
        });
  }

  @Test
  void update_uniqueValueFreedInSameBlock_canBeReusedInMemoryModel() {
    try (Fixture f = new Fixture()) {
      blockOpen(f);
      f.sdb.update("Account", ordered("username", "alicia"), ordered("address", "a"));
      f.sdb.create("Account", ordered("address", "c", "username", "alice"));

      assertThat(f.sdb.load("Account", ordered("username", "alice")).orElseThrow())
          .containsEntry("address", "c");
      assertThat(f.sdb.load("Account", ordered("username", "alicia")).orElseThrow())
          .containsEntry("address", "a");
      // the new holder of the old value is a duplicate now
      assertThatThrownBy(() -> f.sdb.create("Account", ordered("address", "d", "username",
          "alicia"))).isExactlyInstanceOf(DuplicateKeyException.class);
      f.sdb.commitBlock();
      f.reopen();
      assertThat(f.sdb.get("Account", ordered("username", "alice")).orElseThrow())
          .containsEntry("address", "c");
    }
  }

  @Test
  void update_uniqueValueFreedInSameBlock_canBeReusedInNormalModelOnlyInStore() {
    try (Fixture f = new Fixture()) {
      storedThenReopened(f);
      f.sdb.update("Delegate", ordered("username", "del1x", "rank", 7), ordered("address", "d1"));
      f.sdb.create("Delegate", ordered("address", "d3", "username", "del1", "region", "eu",
          "rank", 1));

      assertThat(f.sdb.load("Delegate", ordered("username", "del1")).orElseThrow())
          .containsEntry("address", "d3");
      assertThat(f.sdb.load("Delegate", ordered("region", "eu", "rank", 1)).orElseThrow())
          .containsEntry("address", "d3");
      assertThatThrownBy(() -> f.sdb.create("Delegate", ordered("address", "d4", "username",
          "del1x"))).isExactlyInstanceOf(DuplicateKeyException.class);
      f.sdb.commitBlock();
      f.sdb.flush();
      f.reopen();
      assertThat(f.sdb.load("Delegate", ordered("username", "del1")).orElseThrow())
          .containsEntry("address", "d3");
      assertThat(f.sdb.load("Delegate", ordered("username", "del1x")).orElseThrow())
          .containsEntry("address", "d1");
    }
  }

  // ------------------------------------------------------------------ wrong values

  @Test
  void create_nonNumericStringIntoBigInteger_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.create("Account", ordered("address", "c", "gny", "12a")))
        .fails(InvalidValueException.class, "Account", "address=c", "gny", "12a")
        .thenStillWorks(f -> f.sdb.create("Account", ordered("address", "c", "gny", "12")));
  }

  @Test
  void update_nonNumericStringIntoBigInteger_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.update("Account", ordered("username", "alicia", "gny", "abc"),
            ordered("address", "a")))
        .fails(InvalidValueException.class, "Account", "address=a", "gny", "abc")
        .thenStillWorks(f -> f.sdb.update("Account", ordered("username", "alicia"),
            ordered("address", "a")));
  }

  /** 10^65 - 1: the largest big integer every supported database stores exactly. */
  private static final java.math.BigInteger MAX_BIG = java.math.BigInteger.TEN.pow(65)
      .subtract(java.math.BigInteger.ONE);

  @Test
  void create_bigIntegerOf66Digits_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.create("Account", ordered("address", "c", "gny",
            MAX_BIG.add(java.math.BigInteger.ONE).toString())))
        .fails(InvalidValueException.class, "Account", "address=c", "gny", "66 digits", "at most 65")
        .thenStillWorks(f -> assertThat(f.sdb.create("Account", ordered("address", "c", "gny",
            MAX_BIG.negate())).get("gny")).isEqualTo(MAX_BIG.negate()));
  }

  @Test
  void update_negativeBigIntegerOf66Digits_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.update("Account", ordered("gny",
            MAX_BIG.add(java.math.BigInteger.ONE).negate()), ordered("address", "a")))
        .fails(InvalidValueException.class, "Account", "address=a", "gny", "66 digits")
        .thenStillWorks(f -> f.sdb.update("Account", ordered("gny", MAX_BIG.negate()),
            ordered("address", "a")));
  }

  @Test
  void increase_bigIntegerBeyond65Digits_throwsInvalidValueAndChangesNothing() {
    given(f -> {
      blockOpen(f);
      f.sdb.update("Account", ordered("gny", MAX_BIG.subtract(java.math.BigInteger.valueOf(20))),
          ordered("address", "a"));
    })
        .when(f -> f.sdb.increase("Account", ordered("gny", 21), ordered("address", "a")))
        .fails(InvalidValueException.class, "Account", "address=a", "gny", "66 digits")
        .thenStillWorks(f -> {
          assertThat(f.sdb.increase("Account", ordered("gny", 20), ordered("address", "a")))
              .containsEntry("gny", MAX_BIG);
          f.sdb.increase("Account", ordered("gny", -1), ordered("address", "a")); // room for +1
        });
  }

  @Test
  void create_integerIntoStringColumn_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> {
          Map<String, Object> values = transfer("t2", 5);
          values.put("senderId", 5);
          f.sdb.create("Transfer", values);
        })
        .fails(InvalidValueException.class, "Transfer", "tid=t2", "senderId", "Integer")
        .thenStillWorks(f -> f.sdb.create("Transfer", transfer("t2", 5)));
  }

  @Test
  void update_stringTooLong_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.update("Account", ordered("username", "x".repeat(21)),
            ordered("address", "a")))
        .fails(InvalidValueException.class, "Account", "address=a", "username", "21", "20")
        .thenStillWorks(f -> f.sdb.update("Account", ordered("username", "x".repeat(20)),
            ordered("address", "a")));
  }

  @Test
  void create_nonJsonStringIntoJsonColumn_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> {
          Map<String, Object> values = transaction("x2");
          values.put("args", "{not json");
          f.sdb.create("Transaction", values);
        })
        .fails(InvalidValueException.class, "Transaction", "id=x2", "args", "JSON")
        .thenStillWorks(f -> f.sdb.create("Transaction", transaction("x2")));
  }

  @Test
  void update_nonJsonStringIntoJsonColumn_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::storedThenReopened)
        .when(f -> f.sdb.update("Transaction", ordered("args", "[1,"), ordered("id", "x1")))
        .fails(InvalidValueException.class, "Transaction", "id=x1", "args", "JSON")
        .thenStillWorks();
  }

  /** NUL: PostgreSQL refuses it in text, so every flush would fail. */
  @Test
  void create_nulInString_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.create("Account", ordered("address", "c", "username", "a\u0000b")))
        .fails(InvalidValueException.class, "Account", "address=c", "username", "NUL")
        .thenStillWorks(f -> f.sdb.create("Account", ordered("address", "c", "username", "ab")));
  }

  /** A lone surrogate: UTF-8 cannot encode it, so the database would keep '?'. */
  @Test
  void update_unpairedSurrogateInString_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.update("Account", ordered("username", "x\uD800"),
            ordered("address", "a")))
        .fails(InvalidValueException.class, "Account", "address=a", "username",
            "unpaired surrogate \\uD800")
        .thenStillWorks(f -> {
          f.sdb.update("Account", ordered("username", "x\uD83D\uDE00"), ordered("address", "a"));
          assertThat(f.sdb.get("Account", ordered("address", "a")).orElseThrow())
              .containsEntry("username", "x\uD83D\uDE00");
        });
  }

  @Test
  void create_unpairedSurrogateInJsonText_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> {
          Map<String, Object> values = transaction("x2");
          values.put("args", "[\"\uDC00\"]");
          f.sdb.create("Transaction", values);
        })
        .fails(InvalidValueException.class, "Transaction", "id=x2", "args", "unpaired surrogate")
        .thenStillWorks(f -> {
          Map<String, Object> values = transaction("x2");
          values.put("args", "[\"\\uDC00\"]"); // escaped: plain ASCII text, stored as given
          f.sdb.create("Transaction", values);
        });
  }

  @Test
  void update_jsonValueWithUnpairedSurrogate_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::storedThenReopened)
        .when(f -> f.sdb.update("Transaction", ordered("args", List.of("a\uD800")),
            ordered("id", "x1")))
        .fails(InvalidValueException.class, "Transaction", "id=x1", "args", "unpaired surrogate")
        .thenStillWorks();
  }

  @Test
  void update_doubleIntoIntColumn_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.update("Account", ordered("isDelegate", 1.5), ordered("address", "a")))
        .fails(InvalidValueException.class, "Account", "address=a", "isDelegate", "1.5")
        .thenStillWorks(f -> f.sdb.update("Account", ordered("isDelegate", 1),
            ordered("address", "a")));
  }

  @Test
  void update_stringIntoBytesColumn_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::storedThenReopened)
        .when(f -> f.sdb.update("Delegate", ordered("avatar", "AQID"), ordered("address", "d1")))
        .fails(InvalidValueException.class, "Delegate", "address=d1", "avatar", "byte[]")
        .thenStillWorks();
  }

  // ------------------------------------------------------------------ increase

  @Test
  void increase_stringColumn_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.increase("Account", ordered("gny", 1, "username", 1),
            ordered("address", "a")))
        .fails(InvalidValueException.class, "Account", "address=a", "username", "STRING")
        .thenStillWorks();
  }

  @Test
  void increase_nonNumericString_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.increase("Account", ordered("gny", "abc"), ordered("address", "a")))
        .fails(InvalidValueException.class, "Account", "address=a", "gny", "abc")
        .thenStillWorks(f -> assertThat(f.sdb.increase("Account", ordered("gny", "-1"),
            ordered("address", "a"))).containsEntry("gny", BigInteger.valueOf(100)));
  }

  @Test
  void increase_fraction_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.increase("Account", ordered("gny", new BigDecimal("1.5")),
            ordered("address", "a")))
        .fails(InvalidValueException.class, "Account", "address=a", "gny", "1.5")
        .thenStillWorks();
  }

  @Test
  void increase_byNull_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.increase("Account", ordered("gny", null), ordered("address", "a")))
        .fails(InvalidValueException.class, "Account", "address=a", "gny", "null")
        .thenStillWorks();
  }

  @Test
  void increase_intOverflow_throwsInvalidValueAndChangesNothing() {
    given(f -> {
      blockOpen(f);
      f.sdb.update("Account", ordered("isDelegate", Integer.MAX_VALUE - 1),
          ordered("address", "a"));
    })
        .when(f -> f.sdb.increase("Account", ordered("gny", 1, "isDelegate", 2),
            ordered("address", "a")))
        .fails(InvalidValueException.class, "Account", "address=a", "isDelegate", "overflows")
        .thenStillWorks(f -> assertThat(f.sdb.increase("Account", ordered("isDelegate", 1),
            ordered("address", "a"))).containsEntry("isDelegate", Integer.MAX_VALUE));
  }

  @Test
  void increase_longOverflow_throwsInvalidValueAndChangesNothing() {
    given(f -> {
      storedThenReopened(f);
      f.sdb.update("Delegate", ordered("votes", Long.MAX_VALUE), ordered("address", "d1"));
    })
        .when(f -> f.sdb.increase("Delegate", ordered("votes", 1), ordered("address", "d1")))
        .fails(InvalidValueException.class, "Delegate", "address=d1", "votes", "overflows")
        .thenStillWorks(f -> f.sdb.increase("Delegate", ordered("votes", -1),
            ordered("address", "d1")));
  }

  // ------------------------------------------------------------------ null into NOT NULL

  @Test
  void create_missingNotNullValue_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> {
          Map<String, Object> values = transfer("t2", 5);
          values.remove("senderId");
          f.sdb.create("Transfer", values);
        })
        .fails(InvalidValueException.class, "Transfer", "tid=t2", "senderId", "NOT NULL")
        .thenStillWorks(f -> f.sdb.create("Transfer", transfer("t2", 5)));
  }

  @Test
  void create_explicitNullIntoNotNull_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.create("Delegate", ordered("address", "d3", "username", null)))
        .fails(InvalidValueException.class, "Delegate", "address=d3", "username", "NOT NULL")
        .thenStillWorks(f -> f.sdb.create("Delegate", ordered("address", "d3", "username", "d3")));
  }

  @Test
  void update_nullIntoNotNull_throwsInvalidValueAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.update("Account", ordered("username", "alicia", "gny", null),
            ordered("address", "a")))
        .fails(InvalidValueException.class, "Account", "address=a", "gny", "NOT NULL")
        .thenStillWorks();
  }

  // ------------------------------------------------------------------ primary key change

  @Test
  void update_changesPrimaryKey_throwsInvalidKeyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.update("Account", ordered("gny", 1, "address", "z"),
            ordered("address", "a")))
        .fails(InvalidKeyException.class, "Account", "address=a", "address", "z")
        .thenStillWorks(f -> assertThat(f.sdb.has("Account", ordered("address", "z"))).isFalse());
  }

  @Test
  void update_changesCompositeKeyPart_throwsInvalidKeyAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.update("Balance", ordered("currency", "BTC"),
            ordered("address", "a", "currency", "GNY")))
        .fails(InvalidKeyException.class, "Balance", "address=a", "currency=GNY", "BTC")
        .thenStillWorks();
  }

  // ------------------------------------------------------------------ missing / deleted entity

  @ParameterizedTest(name = "{0}")
  @MethodSource("writesOfMissingAccount")
  void write_missingEntity_throwsEntityNotFoundAndChangesNothing(Step call, String key) {
    given(MisuseTest::blockOpen)
        .when(call)
        .fails(EntityNotFoundException.class, "Account", key)
        .thenStillWorks(f -> f.sdb.create("Account", ordered("address", "zz", "username", "zz")));
  }

  static Stream<Arguments> writesOfMissingAccount() {
    return Stream.of(
        call("update", "{address=zz}",
            f -> f.sdb.update("Account", ordered("gny", 1), ordered("address", "zz"))),
        call("increase", "{address=zz}",
            f -> f.sdb.increase("Account", ordered("gny", 1), ordered("address", "zz"))),
        call("del", "{address=zz}", f -> f.sdb.del("Account", ordered("address", "zz"))),
        call("update by unique key", "{username=zz}",
            f -> f.sdb.update("Account", ordered("gny", 1), ordered("username", "zz"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writesOfDeletedAccount")
  void write_deletedMemoryEntity_throwsEntityNotFoundAndChangesNothing(Step call, String key) {
    given(f -> {
      blockOpen(f);
      f.sdb.del("Account", ordered("address", "b"));
    })
        .when(call)
        .fails(EntityNotFoundException.class, "Account", key)
        .thenStillWorks(f -> {
          assertThat(f.sdb.has("Account", ordered("address", "b"))).isFalse();
          f.sdb.create("Account", ordered("address", "b", "username", "bob"));
        });
  }

  static Stream<Arguments> writesOfDeletedAccount() {
    return Stream.of(
        call("update", "{address=b}",
            f -> f.sdb.update("Account", ordered("gny", 1), ordered("address", "b"))),
        call("increase", "{address=b}",
            f -> f.sdb.increase("Account", ordered("gny", 1), ordered("address", "b"))),
        call("del", "{address=b}", f -> f.sdb.del("Account", ordered("address", "b"))),
        call("update by freed unique key", "{username=bob}",
            f -> f.sdb.update("Account", ordered("gny", 1), ordered("username", "bob"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writesOfDeletedDelegate")
  void write_deletedNormalEntityStillInStore_throwsEntityNotFoundAndChangesNothing(Step call,
      String key) {
    given(f -> {
      storedThenReopened(f);
      f.sdb.del("Delegate", ordered("address", "d1"));
    })
        .when(call)
        .fails(EntityNotFoundException.class, "Delegate", key)
        .thenStillWorks(f -> {
          assertThat(f.sdb.load("Delegate", ordered("address", "d1"))).isEmpty();
          f.sdb.create("Delegate", ordered("address", "d1", "username", "del1"));
        });
  }

  static Stream<Arguments> writesOfDeletedDelegate() {
    return Stream.of(
        call("update", "{address=d1}",
            f -> f.sdb.update("Delegate", ordered("votes", 1), ordered("address", "d1"))),
        call("increase", "{address=d1}",
            f -> f.sdb.increase("Delegate", ordered("votes", 1), ordered("address", "d1"))),
        call("del", "{address=d1}", f -> f.sdb.del("Delegate", ordered("address", "d1"))),
        call("del by unique key", "{username=del1}",
            f -> f.sdb.del("Delegate", ordered("username", "del1"))));
  }

  // ------------------------------------------------------------------ block lifecycle

  @Test
  void beginBlock_heightTooHigh_throwsLifecycleAndChangesNothing() {
    given(MisuseTest::betweenBlocks)
        .when(f -> f.sdb.beginBlock(TestModels.block(5)))
        .fails(LifecycleException.class, "5", "expected 1")
        .thenStillWorks(f -> f.sdb.beginBlock(TestModels.block(1)));
  }

  @Test
  void beginBlock_repeatedHeight_throwsLifecycleAndChangesNothing() {
    given(MisuseTest::betweenBlocks)
        .when(f -> f.sdb.beginBlock(TestModels.block(0)))
        .fails(LifecycleException.class, "height 0", "expected 1")
        .thenStillWorks();
  }

  @Test
  void beginBlock_beforeGenesisAtHeightOne_throwsLifecycleAndChangesNothing() {
    given(f -> { })
        .when(f -> f.sdb.beginBlock(TestModels.block(1)))
        .fails(LifecycleException.class, "height 1", "expected 0")
        .thenStillWorks();
  }

  @Test
  void beginBlock_whileBlockOpen_throwsLifecycleAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.beginBlock(TestModels.block(2)))
        .fails(LifecycleException.class, "beginBlock(2)", "block 1 is in progress")
        .thenStillWorks(f -> assertThat(f.sdb.currentBlock()).contains(TestModels.block(1)));
  }

  @Test
  void beginBlock_sameHeightWhileBlockOpen_throwsLifecycleAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.beginBlock(new BlockHeader(1, "other-1", "block-0", 11)))
        .fails(LifecycleException.class, "beginBlock(1)", "block 1 is in progress")
        .thenStillWorks(f -> assertThat(f.sdb.currentBlock()).contains(TestModels.block(1)));
  }

  @Test
  void commitBlock_withoutBeginBlock_throwsLifecycleAndChangesNothing() {
    given(MisuseTest::betweenBlocks)
        .when(f -> f.sdb.commitBlock())
        .fails(LifecycleException.class, "commitBlock", "outside a block", "1")
        .thenStillWorks();
  }

  @Test
  void commitBlock_twice_throwsLifecycleAndChangesNothing() {
    given(f -> {
      blockOpen(f);
      f.sdb.commitBlock();
    })
        .when(f -> f.sdb.commitBlock())
        .fails(LifecycleException.class, "commitBlock", "outside a block", "2")
        .thenStillWorks();
  }

  @Test
  void commitBlock_withOpenContract_throwsLifecycleAndChangesNothing() {
    given(f -> {
      blockOpen(f);
      f.sdb.beginContract();
      f.sdb.lock("lock-b");
      f.sdb.increase("Account", ordered("gny", 10), ordered("address", "b"));
    })
        .when(f -> f.sdb.commitBlock())
        .fails(LifecycleException.class, "commitBlock", "block 1", "contract")
        // the contract is still open: rolling it back undoes its change and its lock
        .thenStillWorks(f -> {
          f.sdb.rollbackContract();
          assertThat(f.sdb.isLocked("lock-b")).isFalse();
          assertThat(f.sdb.get("Account", ordered("address", "b")).orElseThrow())
              .containsEntry("gny", BigInteger.valueOf(5));
        });
  }

  @Test
  void commitContract_withoutBeginContract_throwsLifecycleAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.commitContract())
        .fails(LifecycleException.class, "commitContract", "beginContract", "block 1")
        .thenStillWorks();
  }

  @Test
  void commitContract_afterItsContractWasCommitted_throwsLifecycleAndChangesNothing() {
    given(f -> {
      blockOpen(f);
      f.sdb.beginContract();
      f.sdb.increase("Account", ordered("gny", 10), ordered("address", "b"));
      f.sdb.commitContract();
    })
        .when(f -> f.sdb.commitContract())
        .fails(LifecycleException.class, "commitContract", "beginContract", "block 1")
        .thenStillWorks();
  }

  @Test
  void rollbackContract_withoutBeginContract_throwsLifecycleAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.rollbackContract())
        .fails(LifecycleException.class, "rollbackContract", "beginContract", "block 1")
        // nothing was undone: a's pending increase and lock-a are still there
        .thenStillWorks(f -> {
          assertThat(f.sdb.isLocked("lock-a")).isTrue();
          assertThat(f.sdb.get("Account", ordered("address", "a")).orElseThrow())
              .containsEntry("gny", BigInteger.valueOf(101));
        });
  }

  @Test
  void rollbackContract_afterItsContractWasRolledBack_throwsLifecycleAndChangesNothing() {
    given(f -> {
      blockOpen(f);
      f.sdb.beginContract();
      f.sdb.increase("Account", ordered("gny", 10), ordered("address", "b"));
      f.sdb.rollbackContract();
    })
        .when(f -> f.sdb.rollbackContract())
        .fails(LifecycleException.class, "rollbackContract", "beginContract", "block 1")
        .thenStillWorks();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("callsThatNeedABlock")
  void anyWrite_outsideBlock_throwsLifecycleAndChangesNothing(String operation, Step call) {
    given(MisuseTest::betweenBlocks)
        .when(call)
        .fails(LifecycleException.class, operation, "outside a block", "1")
        .thenStillWorks();
  }

  static Stream<Arguments> callsThatNeedABlock() {
    return Stream.of(
        Arguments.of("create", (Step) f -> f.sdb.create("Account", ordered("address", "c"))),
        Arguments.of("createOrLoad",
            (Step) f -> f.sdb.createOrLoad("Account", ordered("address", "c"))),
        Arguments.of("update",
            (Step) f -> f.sdb.update("Account", ordered("gny", 1), ordered("address", "a"))),
        Arguments.of("increase",
            (Step) f -> f.sdb.increase("Account", ordered("gny", 1), ordered("address", "a"))),
        Arguments.of("del", (Step) f -> f.sdb.del("Account", ordered("address", "a"))),
        Arguments.of("lock", (Step) f -> f.sdb.lock("lock-a")),
        Arguments.of("beginContract", (Step) f -> f.sdb.beginContract()),
        Arguments.of("commitContract", (Step) f -> f.sdb.commitContract()),
        Arguments.of("rollbackContract", (Step) f -> f.sdb.rollbackContract()));
  }

  @Test
  void rollbackBlock_heightAboveLast_throwsLifecycleAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.rollbackBlock(1))
        .fails(LifecycleException.class, "rollbackBlock(1)", "last committed height 0")
        .thenStillWorks(f -> assertThat(f.sdb.currentBlock()).contains(TestModels.block(1)));
  }

  @Test
  void rollbackBlock_heightBelowGenesis_throwsLifecycleAndChangesNothing() {
    given(MisuseTest::storedThenReopened)
        .when(f -> f.sdb.rollbackBlock(-2))
        .fails(LifecycleException.class, "rollbackBlock(-2)", "-1")
        .thenStillWorks();
  }

  @Test
  void anyCall_afterClose_throwsLifecycleAndChangesNothing() {
    try (Fixture f = new Fixture()) {
      betweenBlocks(f);
      f.sdb.close();
      List<String> storeBefore = f.storeText();

      assertThatThrownBy(() -> f.sdb.beginBlock(TestModels.block(1)))
          .isExactlyInstanceOf(LifecycleException.class)
          .hasMessageContainingAll("beginBlock", "after close()");
      assertThatThrownBy(() -> f.sdb.load("Account", ordered("address", "a")))
          .isExactlyInstanceOf(LifecycleException.class)
          .hasMessageContainingAll("load", "after close()");
      assertThatThrownBy(() -> f.sdb.flush())
          .isExactlyInstanceOf(LifecycleException.class)
          .hasMessageContainingAll("flush", "after close()");
      assertThatThrownBy(() -> f.sdb.rollbackBlock(-1))
          .isExactlyInstanceOf(LifecycleException.class)
          .hasMessageContainingAll("rollbackBlock", "after close()");
      f.sdb.close(); // a second close is a no-op

      assertThat(f.sdb.lastHeight()).isZero();
      assertThat(f.storeText()).isEqualTo(storeBefore);
      assertThat(f.store.flushedHeight()).isZero();
    }
  }

  // ------------------------------------------------------------------ threads

  @ParameterizedTest(name = "{0}")
  @MethodSource("callsFromAnotherThread")
  void anyCall_fromSecondThreadWhileBlockOpen_throwsWrongThreadAndChangesNothing(
      String operation, Step call) {
    String owner = Thread.currentThread().getName();
    given(MisuseTest::blockOpen)
        .whenOnOtherThread(call)
        .fails(WrongThreadException.class, "'" + owner + "'", "block 1",
            operation + " called from '" + INTRUDER + "'")
        .thenStillWorks(f -> {
          assertThat(f.sdb.currentBlock()).contains(TestModels.block(1));
          assertThat(f.sdb.isLocked("lock-a")).isTrue();
        });
  }

  static Stream<Arguments> callsFromAnotherThread() {
    return Stream.of(
        Arguments.of("create", (Step) f -> f.sdb.create("Account", ordered("address", "c"))),
        Arguments.of("update",
            (Step) f -> f.sdb.update("Account", ordered("gny", 1), ordered("address", "a"))),
        Arguments.of("increase",
            (Step) f -> f.sdb.increase("Account", ordered("gny", 1), ordered("address", "a"))),
        Arguments.of("del", (Step) f -> f.sdb.del("Account", ordered("address", "a"))),
        Arguments.of("lock", (Step) f -> f.sdb.lock("lock-x")),
        Arguments.of("load", (Step) f -> f.sdb.load("Delegate", ordered("address", "d1"))),
        Arguments.of("getAll", (Step) f -> f.sdb.getAll("Account")),
        Arguments.of("isLocked", (Step) f -> f.sdb.isLocked("lock-a")),
        Arguments.of("beginBlock", (Step) f -> f.sdb.beginBlock(TestModels.block(1))),
        Arguments.of("beginContract", (Step) f -> f.sdb.beginContract()),
        Arguments.of("commitBlock", (Step) f -> f.sdb.commitBlock()),
        Arguments.of("rollbackBlock", (Step) f -> f.sdb.rollbackBlock()),
        Arguments.of("rollbackBlock", (Step) f -> f.sdb.rollbackBlock(-1)),
        Arguments.of("flush", (Step) f -> f.sdb.flush()),
        Arguments.of("close", (Step) f -> f.sdb.close()));
  }

  @Test
  void anyCall_fromSecondThreadBetweenBlocks_isAllowed() throws Exception {
    try (Fixture f = new Fixture()) {
      betweenBlocks(f);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread other = new Thread(() -> {
        try {
          f.sdb.beginBlock(TestModels.block(1));
          f.sdb.increase("Account", ordered("gny", 1), ordered("address", "a"));
          f.sdb.commitBlock();
        } catch (Throwable t) {
          failure.set(t);
        }
      }, INTRUDER);
      other.start();
      other.join(10_000);
      assertThat(failure.get()).isNull();
      assertThat(f.sdb.lastHeight()).isEqualTo(1);
    }
  }

  /**
   * Between blocks a call owns the engine while it runs: a second thread that calls meanwhile (here
   * while the first one's flush waits for the database) is refused, and gets in once it is done.
   */
  @Test
  void secondThread_whileAnotherThreadsCallRunsBetweenBlocks_isRefused() throws Exception {
    java.util.concurrent.CountDownLatch applying = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    MemoryStateStore db = new MemoryStateStore();
    StateStore slow = new FailingStoreBase(db) {
      @Override
      public void apply(List<ChangeSet> blocks) {
        applying.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        super.apply(blocks);
      }
    };
    try (Sdb sdb = Sdb.builder().schema(TestModels.schema()).store(slow).manualFlush().open()) {
      sdb.beginBlock(TestModels.block(0));
      sdb.create("Account", ordered("address", "a", "gny", 1));
      sdb.commitBlock();
      AtomicReference<Throwable> flushFailure = new AtomicReference<>();
      Thread flushing = new Thread(() -> {
        try {
          sdb.flush();
        } catch (Throwable t) {
          flushFailure.set(t);
        }
      }, INTRUDER);
      flushing.start();
      applying.await();
      try {
        assertThatThrownBy(() -> sdb.beginBlock(TestModels.block(1)))
            .isInstanceOf(WrongThreadException.class)
            .hasMessageContaining("'" + INTRUDER + "'").hasMessageContaining("beginBlock");
        assertThatThrownBy(() -> sdb.load("Account", Map.of("address", "a")))
            .isInstanceOf(WrongThreadException.class);
        assertThatThrownBy(() -> sdb.rollbackBlock(-1)).isInstanceOf(WrongThreadException.class);
      } finally {
        release.countDown();
        flushing.join(10_000);
      }

      assertThat(flushFailure.get()).isNull();
      assertThat(db.flushedHeight()).isZero();
      assertThat(sdb.currentBlock()).isEmpty();
      sdb.beginBlock(TestModels.block(1));
      sdb.increase("Account", ordered("gny", 1), ordered("address", "a"));
      sdb.commitBlock();
      assertThat(sdb.get("Account", Map.of("address", "a")).orElseThrow().get("gny"))
          .isEqualTo(BigInteger.TWO);
    }
  }

  // ------------------------------------------------------------------ locks

  @Test
  void lock_sameNameTwiceInBlock_throwsLockConflictAndChangesNothing() {
    given(MisuseTest::blockOpen)
        .when(f -> f.sdb.lock("lock-a"))
        .fails(LockConflictException.class, "lock-a", "block 1")
        .thenStillWorks(f -> assertThat(f.sdb.isLocked("lock-a")).isTrue());
  }

  @Test
  void lock_nameOfOuterBlockAgainInContract_throwsLockConflictAndContractRollbackKeepsIt() {
    given(f -> {
      blockOpen(f);
      f.sdb.beginContract();
      f.sdb.lock("lock-b");
    })
        .when(f -> f.sdb.lock("lock-a"))
        .fails(LockConflictException.class, "lock-a", "block 1")
        .thenStillWorks(f -> {
          // the failed lock inside the contract did not make lock-a the contract's to release
          f.sdb.rollbackContract();
          assertThat(f.sdb.isLocked("lock-a")).isTrue();
          assertThat(f.sdb.isLocked("lock-b")).isFalse();
          assertThatThrownBy(() -> f.sdb.lock("lock-a"))
              .isExactlyInstanceOf(LockConflictException.class);
          f.sdb.lock("lock-b");
        });
  }

  @Test
  void lock_releasedByContractRollback_canBeTakenAgain() {
    try (Fixture f = new Fixture()) {
      blockOpen(f);
      f.sdb.beginContract();
      f.sdb.lock("lock-b");
      f.sdb.rollbackContract();
      f.sdb.lock("lock-b");
      assertThat(f.sdb.isLocked("lock-b")).isTrue();
    }
  }

  // ------------------------------------------------------------------ the harness itself

  @Test
  void snapshot_validWrite_isSeenAsAChange() {
    try (Fixture f = new Fixture()) {
      blockOpen(f);
      Snapshot before = f.snapshot();
      f.sdb.create("Account", ordered("address", "c"));
      assertThat(f.snapshot()).isNotEqualTo(before);
      Snapshot mid = f.snapshot();
      f.sdb.lock("lock-b");
      assertThat(f.snapshot()).isNotEqualTo(mid);
      Snapshot locked = f.snapshot();
      f.sdb.update("Delegate", ordered("avatar", new byte[] {9}), ordered("address", "d1"));
      assertThat(f.snapshot()).isNotEqualTo(locked);
    }
  }

  // ================================================================== harness

  private static final String INTRUDER = "intruder";
  private static final List<String> WATCHED_LOCKS = List.of("lock-a", "lock-b", "lock-x",
      "lock-undone");
  private static final Map<String, List<String>> WATCHED_NORMAL = Map.of(
      "Delegate", List.of("d1", "d2", "d3", "d4"),
      "Transfer", List.of("t1", "t2"),
      "Transaction", List.of("x1", "x2"));

  /** One step of a scenario, on one twin. */
  @FunctionalInterface
  interface Step {
    void run(Fixture f) throws Exception;
  }

  private static Arguments call(String name, Step step) {
    return Arguments.of(Named.of(name, step));
  }

  private static Arguments call(String name, String key, Step step) {
    return Arguments.of(Named.of(name, step), key);
  }

  /** An engine over its own memory store, with a listener that records every event. */
  static final class Fixture implements AutoCloseable {
    final MemoryStateStore store = new MemoryStateStore();
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final SdbListener listener = new SdbListener() {
      @Override
      public void blockCommitted(ChangeSet changeSet) {
        events.add("committed " + changeSet.block() + " " + changeSet.deltasJson());
      }

      @Override
      public void rolledBack(long fromHeight, long toHeight) {
        events.add("rolledBack " + fromHeight + " -> " + toHeight);
      }

      @Override
      public void flushed(long height) {
        events.add("flushed " + height);
      }
    };
    Sdb sdb = open();

    private Sdb open() {
      return Sdb.builder().schema(TestModels.schema()).store(store).manualFlush()
          .listener(listener).open();
    }

    /** Closes the engine (flushing it) and opens a fresh one on the same store. */
    void reopen() {
      sdb.close();
      sdb = open();
    }

    void begin() {
      sdb.beginBlock(TestModels.block(sdb.lastHeight() + 1));
    }

    Snapshot snapshot() {
      SdbStats stats = sdb.stats();
      Map<String, Object> memory = new TreeMap<>();
      Map<String, Object> normal = new TreeMap<>();
      Map<String, Object> storeRows = new TreeMap<>();
      for (ModelSchema m : sdb.schema().models()) {
        if (m.isMemory()) {
          memory.put(m.name(), sdb.getAll(m.name()).stream().map(MisuseTest::plain).toList());
        } else {
          for (String k : WATCHED_NORMAL.get(m.name())) {
            String column = m.primaryKey().get(0).name();
            normal.put(m.name() + "/" + k,
                sdb.load(m.name(), ordered(column, k)).map(MisuseTest::plain));
          }
        }
        storeRows.put(m.name(), store.rows(m).stream().map(MisuseTest::rowText).sorted().toList());
      }
      Map<String, Boolean> locks = new TreeMap<>();
      for (String name : WATCHED_LOCKS) {
        locks.put(name, sdb.isLocked(name));
      }
      return new Snapshot(sdb.lastHeight(), sdb.flushedHeight(), sdb.currentBlock(),
          ownership(),
          stats.lastHeight(), stats.flushedHeight(), stats.pendingBlocks(), stats.pinned(),
          stats.flushes(), memory, normal, locks, List.copyOf(events), storeRows,
          store.blocks(), store.flushedHeight(), store.applyCalls(), sdb.invariantsHold());
    }

    /**
     * Whether the engine has an owner thread: what a read from another thread gets ("ok" between
     * blocks, WrongThreadException while a block is open).
     */
    private String ownership() {
      AtomicReference<String> result = new AtomicReference<>("no answer");
      Thread probe = new Thread(() -> {
        try {
          sdb.isLocked("lock-a");
          result.set("ok");
        } catch (RuntimeException e) {
          result.set(e.getClass().getSimpleName());
        }
      }, "probe");
      probe.start();
      try {
        probe.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      return result.get();
    }

    /** The store's blocks and rows as text. */
    List<String> storeText() {
      List<String> text = new ArrayList<>();
      store.blocks().forEach(b -> text.add(b.toString()));
      for (ModelSchema m : TestModels.schema().models()) {
        store.rows(m).stream().map(r -> m.name() + rowText(r)).sorted().forEach(text::add);
      }
      return text;
    }

    /** Commits the block in progress, if any, and flushes. */
    void finish() {
      if (sdb.currentBlock().isPresent()) {
        sdb.commitBlock();
      }
      sdb.flush();
    }

    @Override
    public void close() {
      sdb.close();
    }
  }

  /**
   * Everything a caller can observe of an engine and its store (cache counters excepted), plus
   * whether another thread may call it.
   */
  record Snapshot(long lastHeight, long flushedHeight, Optional<BlockHeader> currentBlock,
      String otherThreadReads, long statsLastHeight, long statsFlushedHeight, int pendingBlocks, int pinned, long flushes,
      Map<String, Object> memoryEntities, Map<String, Object> watchedNormalEntities,
      Map<String, Boolean> locks, List<String> listenerEvents, Map<String, Object> storeRows,
      List<BlockHeader> storeBlocks, long storeFlushedHeight, int storeApplyCalls,
      boolean invariantsHold) {}

  // ------------------------------------------------------------------ scenarios

  static Given given(Step given) {
    return new Given(given);
  }

  record Given(Step given) {
    BadCall when(Step call) {
      return new BadCall(given, call, false);
    }

    BadCall whenOnOtherThread(Step call) {
      return new BadCall(given, call, true);
    }
  }

  record BadCall(Step given, Step call, boolean otherThread) {
    Rejection fails(Class<? extends Throwable> type, String... messageParts) {
      return new Rejection(this, type, messageParts);
    }
  }

  record Rejection(BadCall call, Class<? extends Throwable> type, String[] messageParts) {
    void thenStillWorks() {
      thenStillWorks(f -> { });
    }

    /**
     * Runs the case: the bad call on twin A must throw as expected and change nothing; then both
     * twins run {@code followUp} and {@link #touchEverything}, and must stay identical through
     * commit and flush.
     */
    void thenStillWorks(Step followUp) {
      try (Fixture a = new Fixture(); Fixture b = new Fixture()) {
        call.given().run(a);
        Snapshot before = a.snapshot();

        Throwable thrown = call.otherThread() ? runOnOtherThread(a, call.call())
            : runHere(a, call.call());
        assertThat(thrown).as("the bad call must be rejected").isNotNull();
        assertThat(thrown).isExactlyInstanceOf(type);
        assertThat(thrown).hasMessageContainingAll(messageParts);
        assertThat(a.snapshot()).as("state after the rejected call (%s)", thrown.getMessage())
            .isEqualTo(before);

        call.given().run(b);
        assertThat(a.snapshot()).as("twin A (bad call) vs twin B (none) before the follow-up")
            .isEqualTo(b.snapshot());
        followUp.run(a);
        touchEverything(a);
        followUp.run(b);
        touchEverything(b);
        assertThat(a.snapshot()).as("twin A vs twin B after the follow-up").isEqualTo(b.snapshot());
        a.finish();
        b.finish();
        Snapshot end = a.snapshot();
        assertThat(end).as("twin A vs twin B after commit and flush").isEqualTo(b.snapshot());
        assertThat(end.listenerEvents()).as("the follow-up committed a block")
            .anyMatch(e -> e.startsWith("committed") && e.contains("\"follow\""));
        assertThat(end.invariantsHold()).isTrue();
      } catch (Exception e) {
        throw new AssertionError("scenario step failed: " + e, e);
      }
    }
  }

  private static Throwable runHere(Fixture f, Step step) throws Exception {
    try {
      step.run(f);
    } catch (RuntimeException e) {
      return e;
    }
    return null;
  }

  private static Throwable runOnOtherThread(Fixture f, Step step) throws InterruptedException {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread other = new Thread(() -> {
      try {
        step.run(f);
      } catch (Throwable t) {
        thrown.set(t);
      }
    }, INTRUDER);
    other.start();
    other.join(10_000);
    if (other.isAlive()) {
      fail("the call from the second thread did not return within 10 s");
    }
    return thrown.get();
  }

  /**
   * The valid follow-up both twins run: a write to every existing entity (so a hidden change of
   * any of them shows in the deltas: values, versions, existence), a lock, and nested contracts
   * (one kept, one rolled back) that create new entities.
   */
  private static void touchEverything(Fixture f) {
    Sdb sdb = f.sdb;
    if (sdb.currentBlock().isEmpty()) {
      f.begin();
    }
    for (Map<String, Object> account : sdb.getAll("Account")) {
      sdb.increase("Account", ordered("gny", 1), ordered("address", account.get("address")));
    }
    for (Map<String, Object> balance : sdb.getAll("Balance")) {
      sdb.increase("Balance", ordered("balance", 1),
          ordered("address", balance.get("address"), "currency", balance.get("currency")));
    }
    for (String d : WATCHED_NORMAL.get("Delegate")) {
      sdb.load("Delegate", ordered("address", d)).ifPresent(e -> sdb.update("Delegate",
          ordered("publicKey", "pk-v" + e.get("_version_")), ordered("address", d)));
    }
    for (String t : WATCHED_NORMAL.get("Transfer")) {
      if (sdb.has("Transfer", ordered("tid", t))) {
        sdb.increase("Transfer", ordered("amount", 1), ordered("tid", t));
      }
    }
    for (String x : WATCHED_NORMAL.get("Transaction")) {
      if (sdb.has("Transaction", ordered("id", x))) {
        sdb.increase("Transaction", ordered("fee", 1), ordered("id", x));
      }
    }
    if (!sdb.isLocked("lock-x")) {
      sdb.lock("lock-x");
    }
    // nested contracts: a leaked or lost savepoint would make these fail or undo the wrong thing
    sdb.beginContract();
    sdb.create("Account", ordered("address", "follow", "username", "follow"));
    sdb.beginContract();
    sdb.lock("lock-undone");
    sdb.create("Account", ordered("address", "undone", "username", "undone"));
    sdb.rollbackContract();
    sdb.commitContract();
  }

  // ------------------------------------------------------------------ set-ups

  /** Block 0, committed but not flushed: accounts, a balance, delegates, a transfer, a tx. */
  static void betweenBlocks(Fixture f) {
    f.begin();
    Sdb sdb = f.sdb;
    sdb.create("Account", ordered("address", "a", "username", "alice", "gny", 100));
    sdb.create("Account", ordered("address", "b", "username", "bob", "gny", 5));
    sdb.create("Balance", ordered("address", "a", "currency", "GNY", "balance", 10));
    sdb.create("Delegate", ordered("address", "d1", "username", "del1", "publicKey", "pk1",
        "region", "eu", "rank", 1, "avatar", new byte[] {1, 2, 3}));
    sdb.create("Delegate", ordered("address", "d2", "username", "del2", "region", "eu",
        "rank", 2));
    sdb.create("Transfer", transfer("t1", 7));
    sdb.create("Transaction", transaction("x1"));
    sdb.commitBlock();
  }

  /** Block 0 committed (pending); block 1 open with lock-a taken and a.gny +1 not committed. */
  static void blockOpen(Fixture f) {
    betweenBlocks(f);
    openBlockOne(f);
  }

  /**
   * Block 0 flushed, then a fresh engine on the same store, so the normal models' entities exist
   * only in the store; block 1 open as in {@link #blockOpen}.
   */
  static void storedThenReopened(Fixture f) {
    betweenBlocks(f);
    f.sdb.flush();
    f.reopen();
    openBlockOne(f);
  }

  private static void openBlockOne(Fixture f) {
    f.begin();
    f.sdb.lock("lock-a");
    f.sdb.increase("Account", ordered("gny", 1), ordered("address", "a"));
  }

  static Map<String, Object> transfer(String tid, long amount) {
    return ordered("tid", tid, "senderId", "a", "recipientId", "b", "currency", "GNY",
        "amount", amount, "timestamp", 1L, "height", 0L);
  }

  static Map<String, Object> transaction(String id) {
    return ordered("id", id, "type", 0, "timestamp", 1L, "senderId", "a",
        "senderPublicKey", "pk", "fee", 10, "args", "[1,2]", "height", 0L);
  }

  // ------------------------------------------------------------------ helpers

  /** A map in the given order that may hold nulls (Map.of has no order and no nulls). */
  static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** An entity with byte arrays as hex, so that maps compare by content. */
  static Map<String, Object> plain(Map<String, Object> entity) {
    Map<String, Object> m = new TreeMap<>();
    entity.forEach((k, v) -> m.put(k, v instanceof byte[] bytes
        ? "bytes:" + HexFormat.of().formatHex(bytes) : v));
    return m;
  }

  static String rowText(Object[] row) {
    return Arrays.stream(row)
        .map(v -> v == null ? "null" : v instanceof byte[] bytes
            ? "bytes:" + HexFormat.of().formatHex(bytes)
            : v.getClass().getSimpleName() + ":" + v)
        .toList().toString();
  }
}
