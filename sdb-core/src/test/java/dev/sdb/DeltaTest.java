package dev.sdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.schema.ModelSchema;
import dev.sdb.store.MemoryStateStore;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine's deltas share their rows; seen from outside they are plain lists of changes. */
class DeltaTest {
  private final ModelSchema account = TestModels.schema().model("Account");

  private List<Delta> blockOfEveryKind() {
    List<ChangeSet> blocks = new ArrayList<>();
    Sdb sdb = TestModels.recordingBlocks(blocks);
    sdb.beginBlock(new BlockHeader(0, "g", null, 0));
    sdb.create("Account", Map.of("address", "A", "gny", 5));
    sdb.increase("Account", Map.of("gny", 2), Map.of("address", "A"));
    sdb.del("Account", Map.of("address", "A"));
    sdb.commitBlock();
    return blocks.get(0).deltas();
  }

  /** A NEW or DELETE recorded before a release added columns (username, isDelegate here). */
  private Delta recordedBeforeMigration(DeltaType type) {
    List<PropertyChange> older = new ArrayList<>();
    for (String name : List.of("address", "gny", "_version_")) {
      Object v = switch (name) {
        case "address" -> "A";
        case "gny" -> BigInteger.TEN;
        default -> 1L;
      };
      older.add(type == DeltaType.NEW ? new PropertyChange(account.column(name), null, v)
          : new PropertyChange(account.column(name), v, null));
    }
    return new Delta(type, account, "A", 1, older);
  }

  @Test
  void aCreateRecordedBeforeAColumnExisted_getsTheColumnsDefault() {
    Delta d = recordedBeforeMigration(DeltaType.NEW);
    Object[] row = d.applyTo(null, "replay");
    assertThat(row[account.column("isDelegate").index()]).isEqualTo(0); // @Property default "0"
    assertThat(row[account.column("username").index()]).isNull(); // nullable, no default
    assertThat(row[account.column("gny").index()]).isEqualTo(BigInteger.TEN);
    assertThat(d.changeCount()).isEqualTo(account.columns().size());
    assertThat(ChangeSetJson.deltasFromJson(ChangeSetJson.deltasToJson(List.of(d)),
        TestModels.schema())).containsExactly(d);
  }

  @Test
  void aDeleteRecordedBeforeAColumnExisted_undoesToTheColumnsDefault() {
    Delta d = recordedBeforeMigration(DeltaType.DELETE);
    Object[] recreated = d.inverse().applyTo(null, "rollback");
    assertThat(recreated[account.column("isDelegate").index()]).isEqualTo(0);
    assertThat(d.applyTo(recreated, "replay")).isNull(); // the migrated row matches its originals
  }

  @Test
  void accessorsAndListAgree_andTheListConstructorRebuildsAnEqualDelta() {
    for (Delta d : blockOfEveryKind()) {
      List<PropertyChange> list = d.propertyChanges();
      assertThat(list).hasSize(d.changeCount());
      for (int i = 0; i < d.changeCount(); i++) {
        assertThat(list.get(i)).isEqualTo(
            new PropertyChange(d.changedColumn(i), d.original(i), d.current(i)));
      }
      Delta rebuilt = new Delta(d.type(), d.model(), d.key(), d.dbVersion(), list);
      assertThat(rebuilt).isEqualTo(d);
      assertThat(rebuilt.toJson()).isEqualTo(d.toJson());
      assertThat(d.inverse().inverse()).isEqualTo(d);
    }
  }

  @Test
  void aModificationListsOnlyWhatChanged_versionLast_andItsInverseStartsFromTheNewVersion() {
    Delta increase = blockOfEveryKind().get(1);
    assertThat(increase.propertyChanges()).extracting(PropertyChange::name)
        .containsExactly("gny", "_version_");
    assertThat(increase.original(0)).isEqualTo(BigInteger.valueOf(5));
    assertThat(increase.current(0)).isEqualTo(BigInteger.valueOf(7));
    Delta undo = increase.inverse();
    assertThat(undo.dbVersion()).isEqualTo(1L);
    assertThat(undo.original(0)).isEqualTo(BigInteger.valueOf(7));
    Object[] row = {"A", null, BigInteger.valueOf(7), 0, 2L};
    assertThat(undo.applyTo(row, "test")).containsExactly("A", null, BigInteger.valueOf(5), 0, 1L);
    assertThat(row[2]).isEqualTo(BigInteger.valueOf(7));
  }

  @Test
  void bytesFromACommittedChangeSet_areCopies_writingIntoThemChangesNothing() {
    MemoryStateStore store = new MemoryStateStore();
    List<ChangeSet> committed = new ArrayList<>();
    Sdb sdb = Sdb.builder().schema(TestModels.schema()).store(store).manualFlush()
        .listener(new SdbListener() {
          @Override
          public void blockCommitted(ChangeSet set) {
            committed.add(set);
            scribbleOnEveryByteArray(set); // as a careless listener might
          }
        }).open();
    sdb.beginBlock(TestModels.block(0));
    sdb.create("Delegate", Map.of("address", "d1", "username", "u1", "avatar", bytes(1, 2, 3)));
    sdb.create("Delegate", Map.of("address", "d2", "username", "u2", "avatar", bytes(7, 8)));
    sdb.commitBlock();
    String block0 = committed.get(0).deltasJson();
    assertThat(avatar(sdb, "d1")).containsExactly(1, 2, 3);
    sdb.beginBlock(TestModels.block(1));
    sdb.update("Delegate", Map.of("avatar", bytes(4, 5, 6)), Map.of("address", "d1"));
    sdb.del("Delegate", Map.of("address", "d2"));
    sdb.commitBlock();
    String block1 = committed.get(1).deltasJson();

    scribbleOnEveryByteArray(committed.get(0)); // and again, later
    scribbleOnEveryByteArray(committed.get(1));

    assertThat(avatar(sdb, "d1")).containsExactly(4, 5, 6);
    assertThat(committed.get(0).deltasJson()).isEqualTo(block0).contains("\"AQID\"", "\"Bwg=\"");
    assertThat(committed.get(1).deltasJson()).isEqualTo(block1).contains("\"BAUG\"", "\"Bwg=\"");
    Delta update = committed.get(1).deltas().get(0);
    int avatar = update.changedColumn(0).index();
    assertThat((byte[]) update.original(0)).containsExactly(1, 2, 3);
    assertThat((byte[]) update.propertyChanges().get(0).current()).containsExactly(4, 5, 6);
    assertThat((byte[]) update.applyTo(originalsOf(update), "test")[avatar])
        .containsExactly(4, 5, 6);
    // the flusher writes, and a rollback undoes, what was committed
    sdb.flush();
    assertThat(storedAvatar(store, "d1")).containsExactly(4, 5, 6);
    sdb.rollbackBlock(0);
    assertThat(avatar(sdb, "d1")).containsExactly(1, 2, 3);
    assertThat(avatar(sdb, "d2")).containsExactly(7, 8);
    assertThat(storedAvatar(store, "d1")).containsExactly(1, 2, 3);
    assertThat(storedAvatar(store, "d2")).containsExactly(7, 8);
    sdb.close();
  }

  /** Writes into every byte array a change set hands out, through every public accessor. */
  private static void scribbleOnEveryByteArray(ChangeSet set) {
    for (Delta delta : set.deltas()) {
      for (Delta d : List.of(delta, delta.inverse())) {
        for (int i = 0; i < d.changeCount(); i++) {
          scribble(d.original(i));
          scribble(d.current(i));
        }
        for (PropertyChange c : d.propertyChanges()) {
          scribble(c.original());
          scribble(c.current());
          scribble(c.inverse().original());
          scribble(c.inverse().current());
        }
        Object[] applied = d.applyTo(d.type() == DeltaType.NEW ? null : originalsOf(d), "test");
        if (applied != null) {
          for (Object v : applied) {
            scribble(v);
          }
        }
      }
    }
  }

  private static void scribble(Object value) {
    if (value instanceof byte[] b) {
      java.util.Arrays.fill(b, (byte) 99);
    }
  }

  /** A row holding what {@code d} expects to find (its other columns null). */
  private static Object[] originalsOf(Delta d) {
    Object[] row = new Object[d.model().columns().size()];
    for (int i = 0; i < d.changeCount(); i++) {
      row[d.changedColumn(i).index()] = d.original(i);
    }
    return row;
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] avatar(Sdb sdb, String address) {
    return (byte[]) sdb.load("Delegate", Map.of("address", address)).orElseThrow().get("avatar");
  }

  private static byte[] storedAvatar(MemoryStateStore store, String address) {
    ModelSchema delegate = TestModels.DELEGATE;
    Optional<Object[]> row = store.rows(delegate).stream()
        .filter(r -> r[delegate.column("address").index()].equals(address)).findFirst();
    return (byte[]) row.orElseThrow()[delegate.column("avatar").index()];
  }

  @Test
  void aChangeOfAnotherModelsColumn_isRejected() {
    ModelSchema transfer = TestModels.schema().model("Transfer");
    List<PropertyChange> foreign = List.of(
        new PropertyChange(transfer.columns().get(0), null, "x"));
    assertThatThrownBy(() -> new Delta(DeltaType.NEW, account, "A", 1L, foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Account").hasMessageContaining("is not a column of Account");
  }
}
