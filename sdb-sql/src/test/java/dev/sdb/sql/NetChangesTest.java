package dev.sdb.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sdb.BlockHeader;
import dev.sdb.Sdb;
import dev.sdb.TestModels;
import dev.sdb.ChangeSet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetChangesTest {

  /** Runs two blocks on the engine and returns the net change of their deltas. */
  private static NetChanges netOf(java.util.function.Consumer<Sdb> block1,
      java.util.function.Consumer<Sdb> block2) {
    List<ChangeSet> blocks = new ArrayList<>();
    Sdb sdb = TestModels.recordingBlocks(blocks);
    sdb.beginBlock(new BlockHeader(0, "g", null, 0));
    sdb.create("Account", Map.of("address", "OLD", "gny", 1));
    sdb.commitBlock();
    blocks.clear();
    sdb.beginBlock(new BlockHeader(1, "b1", "g", 1));
    block1.accept(sdb);
    sdb.commitBlock();
    sdb.beginBlock(new BlockHeader(2, "b2", "b1", 2));
    block2.accept(sdb);
    sdb.commitBlock();
    NetChanges net = new NetChanges();
    blocks.forEach(net::addAll);
    return net;
  }

  private static NetChanges.Row row(NetChanges net, String key) {
    return net.byModel().get("Account").get(key);
  }

  @Test
  void createThenUpdates_isOneInsertOfTheFinalRow() {
    NetChanges net = netOf(s -> s.create("Account", Map.of("address", "A", "gny", 1)),
        s -> {
          s.increase("Account", Map.of("gny", 5), Map.of("address", "A"));
          s.update("Account", Map.of("username", "a"), Map.of("address", "A"));
        });
    NetChanges.Row r = row(net, "A");
    assertThat(r.kind()).isEqualTo(NetChanges.Kind.INSERT);
    assertThat(r.value(2)).isEqualTo(BigInteger.valueOf(6));
    assertThat(r.value(1)).isEqualTo("a");
    assertThat(r.value(4)).isEqualTo(3L);
  }

  @Test
  void aCreateLoggedBeforeAColumnExisted_insertsNullThere() {
    dev.sdb.schema.ModelSchema account = TestModels.schema().model("Account");
    List<dev.sdb.PropertyChange> older = new ArrayList<>();
    for (dev.sdb.schema.Column c : account.columns()) {
      if (!c.name().equals("username")) { // the column a later release added
        Object v = switch (c.name()) {
          case "address" -> "A";
          case "gny" -> BigInteger.ONE;
          case "isDelegate" -> 0;
          default -> 1L;
        };
        older.add(new dev.sdb.PropertyChange(c, null, v));
      }
    }
    NetChanges net = new NetChanges();
    net.add(new dev.sdb.Delta(dev.sdb.DeltaType.NEW, account, "A", 1, older));
    NetChanges.Row r = row(net, "A");
    assertThat(r.kind()).isEqualTo(NetChanges.Kind.INSERT);
    assertThat(r.value(account.column("username").index())).isNull();
    assertThat(r.value(account.column("gny").index())).isEqualTo(BigInteger.ONE);
  }

  @Test
  void updates_areOneUpdateOfTheChangedColumns() {
    NetChanges net = netOf(s -> s.increase("Account", Map.of("gny", 5), Map.of("address", "OLD")),
        s -> s.update("Account", Map.of("isDelegate", 1), Map.of("address", "OLD")));
    NetChanges.Row r = row(net, "OLD");
    assertThat(r.kind()).isEqualTo(NetChanges.Kind.UPDATE);
    assertThat(r.updateColumns().stream().boxed().toList()).containsExactly(2, 3, 4);
    assertThat(r.value(4)).isEqualTo(3L);
  }

  @Test
  void createThenDelete_costsNothing_deleteOfOld_isOneDelete() {
    NetChanges net = netOf(s -> {
      s.create("Account", Map.of("address", "TMP"));
      s.update("Account", Map.of("gny", 3), Map.of("address", "OLD"));
    }, s -> {
      s.del("Account", Map.of("address", "TMP"));
      s.del("Account", Map.of("address", "OLD"));
    });
    assertThat(row(net, "TMP").kind()).isEqualTo(NetChanges.Kind.NONE);
    assertThat(row(net, "OLD").kind()).isEqualTo(NetChanges.Kind.DELETE);
  }

  @Test
  void deleteThenCreate_isAnUpdateOfEveryColumn() {
    NetChanges net = netOf(s -> s.del("Account", Map.of("address", "OLD")),
        s -> s.create("Account", Map.of("address", "OLD", "gny", 9)));
    NetChanges.Row r = row(net, "OLD");
    assertThat(r.kind()).isEqualTo(NetChanges.Kind.UPDATE);
    assertThat(r.updateColumns().stream().boxed().toList()).containsExactly(1, 2, 3, 4);
    assertThat(r.value(4)).isEqualTo(1L);
  }
}
