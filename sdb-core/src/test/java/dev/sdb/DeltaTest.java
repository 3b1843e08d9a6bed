package dev.sdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.schema.ModelSchema;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  void aChangeOfAnotherModelsColumn_isRejected() {
    ModelSchema transfer = TestModels.schema().model("Transfer");
    List<PropertyChange> foreign = List.of(
        new PropertyChange(transfer.columns().get(0), null, "x"));
    assertThatThrownBy(() -> new Delta(DeltaType.NEW, account, "A", 1L, foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Account").hasMessageContaining("is not a column of Account");
  }
}
