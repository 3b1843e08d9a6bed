package dev.sdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sdb.schema.Column;
import dev.sdb.schema.ModelSchema;
import dev.sdb.store.MemoryStateStore;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A normal model's key filter is sized from the store's estimate of its rows, so that a node
 * restarting on a large table probes one layer for every new key, not one per doubling.
 */
class FilterSizingTest {
  private static final int ROWS = 1_500_000; // more than the first two layers, 64k + 1M keys

  /** A store whose Delegate table holds ROWS keys (only their keys are ever read here). */
  private static final class LargeDelegateTable extends FailingStoreBase {
    private final long estimate;
    /** The Delegate keys the engine asked the store about: those its filter said it may hold. */
    final List<Object> asked = new java.util.ArrayList<>();

    LargeDelegateTable(long estimate) {
      super(new MemoryStateStore());
      this.estimate = estimate;
    }

    @Override
    public long estimatedRows(ModelSchema model) {
      return model == TestModels.DELEGATE ? estimate : super.estimatedRows(model);
    }

    @Override
    public Object[] find(ModelSchema model, List<Column> columns, List<Object> values) {
      if (model == TestModels.DELEGATE) {
        asked.addAll(values);
      }
      return super.find(model, columns, values);
    }

    @Override
    public void scanKeys(ModelSchema model, List<Column> columns, Consumer<Object> sink) {
      if (model != TestModels.DELEGATE) {
        super.scanKeys(model, columns, sink);
        return;
      }
      for (int i = 0; i < ROWS; i++) {
        sink.accept((columns.equals(model.primaryKey()) ? "D" : "d") + i);
      }
    }
  }

  @Test
  void anEstimateOfTheRows_givesTheFilterOneLayer() {
    try (Sdb sdb = TestModels.open(new LargeDelegateTable(ROWS))) {
      assertThat(sdb.filterLayersForTest("Delegate")).isEqualTo(1);
    }
  }

  @Test
  void withoutAnEstimate_theFilterGrowsInLayers_theSecondAtLeast1MKeys() {
    try (Sdb sdb = TestModels.open(new LargeDelegateTable(-1))) {
      assertThat(sdb.filterLayersForTest("Delegate")).isEqualTo(3); // 64k + 1M + 2M keys
    }
  }

  @Test
  void anEstimateTooLow_onlyCostsALayer_andEveryKeyIsStillKnown() {
    LargeDelegateTable store = new LargeDelegateTable(ROWS / 2);
    try (Sdb sdb = TestModels.open(store)) {
      assertThat(sdb.filterLayersForTest("Delegate")).isEqualTo(2);
      // keys from both layers make a create ask the store, as a lost key would not
      sdb.beginBlock(TestModels.block(0));
      for (String address : List.of("D0", "D" + (ROWS / 2 + 7), "D" + (ROWS - 1))) {
        store.asked.clear();
        sdb.has("Delegate", java.util.Map.of("address", address));
        assertThat(store.asked).as("asked about %s", address).contains(address);
      }
    }
  }
}
