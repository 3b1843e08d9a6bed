package dev.sdb.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sdb.BlockHeader;
import dev.sdb.ChangeSet;
import dev.sdb.Delta;
import dev.sdb.Sdb;
import dev.sdb.TestModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A flush must leave the database in the state its blocks lead to, whether its net changes were
 * folded ahead, partly, beyond its blocks, or not at all. The oracle: the rows written by the net
 * changes, applied to the state before the blocks, equal the blocks' deltas applied one by one.
 */
class FoldedNetChangesTest {
  private final List<ChangeSet> committed = new ArrayList<>();
  private Sdb sdb;

  @BeforeEach
  void chain() {
    sdb = TestModels.recordingBlocks(committed);
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

  /** What the flusher thread folds while these blocks queue. */
  private static FoldedNetChanges foldedAhead(List<ChangeSet> blocks) {
    FoldedNetChanges folded = new FoldedNetChanges();
    blocks.forEach(folded::fold);
    return folded;
  }

  /** Account rows after the deltas of these blocks, from an empty state, one delta at a time. */
  private static Map<Object, List<Object>> replayed(List<ChangeSet> blocks) {
    return replayed(Map.of(), blocks);
  }

  /** Account rows after the deltas of these blocks applied to {@code prior}, one at a time. */
  private static Map<Object, List<Object>> replayed(Map<Object, List<Object>> prior,
      List<ChangeSet> blocks) {
    Map<Object, Object[]> rows = rows(prior);
    for (ChangeSet b : blocks) {
      for (Delta d : b.deltas()) {
        Object[] next = d.applyTo(rows.get(d.key()), "oracle");
        if (next == null) {
          rows.remove(d.key());
        } else {
          rows.put(d.key(), next);
        }
      }
    }
    return lists(rows);
  }

  private static Map<Object, Object[]> rows(Map<Object, List<Object>> lists) {
    Map<Object, Object[]> rows = new TreeMap<>();
    lists.forEach((k, v) -> rows.put(k, v.toArray()));
    return rows;
  }

  private static Map<Object, List<Object>> lists(Map<Object, Object[]> rows) {
    Map<Object, List<Object>> out = new TreeMap<>();
    rows.forEach((k, v) -> out.put(k, Arrays.asList(v)));
    return out;
  }

  /** Account rows after writing these net changes to an empty table, as the flush would. */
  private static Map<Object, List<Object>> written(NetChanges net) {
    return written(Map.of(), net);
  }

  /** Account rows after writing these net changes to a table holding {@code prior}. */
  private static Map<Object, List<Object>> written(Map<Object, List<Object>> prior,
      NetChanges net) {
    Map<Object, Object[]> rows = rows(prior);
    net.byModel().getOrDefault("Account", Map.of()).forEach((key, r) -> {
      switch (r.kind()) {
        case INSERT -> assertThat(rows.put(key, r.values.clone())).as("INSERT of " + key).isNull();
        case DELETE -> assertThat(rows.remove(key)).as("DELETE of " + key).isNotNull();
        case UPDATE -> {
          Object[] row = rows.get(key);
          assertThat(row).as("UPDATE of " + key).isNotNull();
          r.updateColumns().stream().forEach(c -> row[c] = r.value(c));
        }
        case NONE -> { }
      }
    });
    return lists(rows);
  }

  @Test
  void foldedAhead_writesWhatTheBlocksDid() {
    FoldedNetChanges folded = foldedAhead(committed);
    NetChanges net = folded.take(committed);
    assertThat(written(net)).isEqualTo(replayed(committed)).doesNotContainKey("A1")
        .containsEntry("A4", Arrays.asList("A4", null, java.math.BigInteger.valueOf(103), 0, 4L));
    assertThat(net.byModel().get("Account").get("A1").kind()).isEqualTo(NetChanges.Kind.NONE);
  }

  @Test
  void blocksNotFoldedYet_areFoldedByTheFlush() {
    FoldedNetChanges folded = foldedAhead(committed.subList(0, 2));
    assertThat(written(folded.take(committed))).isEqualTo(replayed(committed));
  }

  @Test
  void blocksFoldedBeyondTheFlush_areUnfolded() {
    FoldedNetChanges folded = foldedAhead(committed);
    List<ChangeSet> batch = committed.subList(0, 4);
    NetChanges net = folded.take(batch);
    assertThat(written(net)).isEqualTo(replayed(batch)).doesNotContainKey("A4");
    assertThat(net.byModel().get("Account")).as("unfolded, not refolded").containsKey("A4");
  }

  @Test
  void aBlockReplacedAfterARollback_isNotMistakenForTheOldOne() {
    FoldedNetChanges folded = foldedAhead(committed);
    sdb.rollbackBlock(2);
    List<ChangeSet> batch = new ArrayList<>(committed.subList(0, 3));
    batch.add(block(3, "fork"));
    folded.fold(batch.get(3));
    assertThat(written(folded.take(batch))).isEqualTo(replayed(batch));
  }

  @Test
  void aFoldSharingLittleWithTheFlush_isDiscarded() {
    FoldedNetChanges folded = foldedAhead(committed);
    List<ChangeSet> batch = committed.subList(0, 1);
    NetChanges net = folded.take(batch);
    assertThat(written(net)).isEqualTo(replayed(batch));
    assertThat(net.byModel().get("Account")).as("folded from scratch").containsOnlyKeys("A0");
  }

  @Test
  void aDeleteAndARecreate_preparedOutOfOrder_stillDeleteTheRow() {
    List<ChangeSet> chain = new ArrayList<>();
    Sdb other = TestModels.recordingBlocks(chain);
    other.beginBlock(new BlockHeader(0, "k0", null, 0));
    other.create("Account", Map.of("address", "K", "gny", 1));
    other.commitBlock();
    other.beginBlock(new BlockHeader(1, "k1", "k0", 1));
    for (int i = 0; i < 10; i++) { // enough shared work that unfolding beats folding afresh
      other.create("Account", Map.of("address", "X" + i));
    }
    other.commitBlock();
    other.beginBlock(new BlockHeader(2, "k2", "k1", 2));
    other.del("Account", Map.of("address", "K"));
    other.commitBlock();
    other.beginBlock(new BlockHeader(3, "k3", "k2", 3));
    other.create("Account", Map.of("address", "K", "gny", 2));
    other.commitBlock();
    Map<Object, List<Object>> flushed = replayed(chain.subList(0, 1));

    FoldedNetChanges folded = new FoldedNetChanges();
    folded.fold(chain.get(1));
    folded.fold(chain.get(3));
    folded.fold(chain.get(2));
    List<ChangeSet> batch = chain.subList(1, 3);
    assertThat(written(flushed, folded.take(batch))).isEqualTo(replayed(flushed, batch))
        .doesNotContainKey("K").hasSize(10);
  }

  @Test
  void takeHandsOver_theNextFlushStartsEmpty() {
    FoldedNetChanges folded = foldedAhead(committed);
    folded.take(committed);
    assertThat(folded.take(List.of()).byModel()).isEmpty();
  }
}
