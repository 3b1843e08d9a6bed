package dev.sdb.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sdb.BlockHeader;
import dev.sdb.ChangeSet;
import dev.sdb.Sdb;
import dev.sdb.SdbListener;
import dev.sdb.TestModels;
import dev.sdb.store.MemoryStateStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A flush must write the same rows whether its net changes were folded ahead or not. */
class FoldedNetChangesTest {
  private final List<ChangeSet> committed = new ArrayList<>();
  private Sdb sdb;

  @BeforeEach
  void chain() {
    sdb = Sdb.builder().schema(TestModels.schema()).store(new MemoryStateStore()).manualFlush()
        .listener(new SdbListener() {
          @Override
          public void blockCommitted(ChangeSet set) {
            committed.add(set);
          }
        }).open();
    for (int h = 0; h <= 4; h++) {
      block(h, "b");
    }
  }

  /** Block h creates account h and moves one unit to it from every earlier one; 3 deletes A1. */
  private ChangeSet block(long h, String fork) {
    sdb.beginBlock(new BlockHeader(h, fork + h, h == 0 ? null : fork + (h - 1), h));
    sdb.create("Account", Map.of("address", "A" + h, "gny", 100));
    for (long k = 0; k < h; k++) {
      if (k == 1 && h > 3) {
        continue; // deleted in block 3
      }
      sdb.increase("Account", Map.of("gny", -1), Map.of("address", "A" + k));
      sdb.increase("Account", Map.of("gny", 1), Map.of("address", "A" + h));
    }
    if (h == 3) {
      sdb.del("Account", Map.of("address", "A1"));
    }
    sdb.commitBlock();
    return committed.get(committed.size() - 1);
  }

  private static Map<String, String> rows(NetChanges net) {
    Map<String, String> rows = new LinkedHashMap<>();
    net.byModel().forEach((model, byKey) -> byKey.forEach((key, r) -> rows.put(model + key,
        r.kind() + " " + r.updateColumns() + " " + Arrays.toString(r.values))));
    return rows;
  }

  private static Map<String, String> fromScratch(List<ChangeSet> blocks) {
    NetChanges net = new NetChanges();
    blocks.forEach(net::addAll);
    return rows(net);
  }

  @Test
  void foldedAhead_equalsFoldedAtFlush() {
    FoldedNetChanges folded = new FoldedNetChanges();
    committed.forEach(folded::fold);
    assertThat(rows(folded.take(committed))).isEqualTo(fromScratch(committed))
        .containsEntry("AccountA1", "NONE {} " + Arrays.toString(new Object[5]))
        .containsEntry("AccountA4", "INSERT {1, 2, 3, 4} [A4, null, 103, 0, 4]");
  }

  @Test
  void blocksNotFoldedYet_areFoldedByTheFlush() {
    FoldedNetChanges folded = new FoldedNetChanges();
    committed.subList(0, 2).forEach(folded::fold);
    assertThat(rows(folded.take(committed))).isEqualTo(fromScratch(committed));
  }

  @Test
  void aFoldThatRanAheadOfTheFlush_isNotUsed() {
    FoldedNetChanges folded = new FoldedNetChanges();
    committed.forEach(folded::fold);
    List<ChangeSet> batch = committed.subList(0, 3);
    assertThat(rows(folded.take(batch))).isEqualTo(fromScratch(batch));
  }

  @Test
  void aBlockReplacedAfterARollback_isNotMistakenForTheOldOne() {
    FoldedNetChanges folded = new FoldedNetChanges();
    committed.forEach(folded::fold);
    sdb.rollbackBlock(2);
    List<ChangeSet> batch = new ArrayList<>(committed.subList(0, 3));
    batch.add(block(3, "fork"));
    folded.fold(batch.get(3));
    assertThat(rows(folded.take(batch))).isEqualTo(fromScratch(batch));
  }

  @Test
  void takeHandsOver_theNextFlushStartsEmpty() {
    FoldedNetChanges folded = new FoldedNetChanges();
    committed.forEach(folded::fold);
    folded.take(committed);
    List<ChangeSet> none = List.of();
    assertThat(folded.take(none).byModel()).isEmpty();
  }
}
