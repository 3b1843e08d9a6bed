package dev.sdb;

import static dev.sdb.TestModels.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.schema.ColumnType;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import dev.sdb.store.MemoryStateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code increase} of a column that is (part of) a unique key checks uniqueness exactly as {@code
 * update} does: into a value another entity holds it is rejected and changes nothing; into a free
 * value it moves the entity's unique index entry.
 */
class IncreaseUniqueTest {
  /** A memory and a normal model, each with a unique INT column. */
  private static final Schema SCHEMA = Schema.builder()
      .model(seats("Seat").memory().build())
      .model(seats("Desk").maxCached(2).build())
      .build();

  private static ModelSchema.Builder seats(String name) {
    return ModelSchema.builder(name)
        .string("id", 10)
        .column("number", ColumnType.INT).unique()
        .column("score", ColumnType.LONG).defaultValue(0L)
        .primaryKey("id");
  }

  private final MemoryStateStore store = new MemoryStateStore();
  private Sdb sdb;

  private void open() {
    sdb = Sdb.builder().schema(SCHEMA).store(store).manualFlush().open();
  }

  /** s1 holds number 1, s2 number 2; with {@code flushed}, only the store has them. */
  private void s1AndS2(String model, boolean flushed) {
    open();
    sdb.beginBlock(block(0));
    sdb.create(model, Map.of("id", "s1", "number", 1));
    sdb.create(model, Map.of("id", "s2", "number", 2));
    sdb.commitBlock();
    if (flushed) {
      sdb.close();
      open();
    }
    sdb.beginBlock(block(1));
  }

  /** What a caller can see of both entities, by primary key and by unique key, and the deltas. */
  private List<Object> observed(String model) {
    List<Object> seen = new ArrayList<>();
    for (String id : List.of("s1", "s2")) {
      seen.add(sdb.load(model, Map.of("id", id)));
    }
    for (int number = 1; number <= 3; number++) {
      seen.add(sdb.load(model, Map.of("number", number)).map(e -> e.get("id")));
    }
    seen.add(List.copyOf(sdb.currentDeltasForTest()));
    return seen;
  }

  @ParameterizedTest(name = "{0}, holder flushed: {1}")
  @CsvSource({"Seat, false", "Seat, true", "Desk, false", "Desk, true"})
  void increase_intoAUniqueValueAnotherEntityHolds_throwsDuplicateKeyAndChangesNothing(
      String model, boolean flushed) {
    s1AndS2(model, flushed);
    sdb.increase(model, Map.of("score", 5), Map.of("id", "s1")); // a pending change to keep
    List<Object> before = observed(model);

    assertThatThrownBy(() -> sdb.increase(model, Map.of("score", 1, "number", 1),
        Map.of("id", "s1")))
        .isExactlyInstanceOf(DuplicateKeyException.class)
        .hasMessageContainingAll(model, "id=s1", "unique key 'number'=2", "held by {id=s2}");

    assertThat(observed(model)).isEqualTo(before);
    assertThat(sdb.load(model, Map.of("id", "s1")).orElseThrow())
        .containsEntry("number", 1).containsEntry("score", 5L).containsEntry("_version_", 2L);
    assertThat(sdb.load(model, Map.of("number", 2)).orElseThrow()).containsEntry("id", "s2");
    assertThat(sdb.currentDeltasForTest()).hasSize(1);
  }

  @ParameterizedTest(name = "{0}, holder flushed: {1}")
  @CsvSource({"Seat, false", "Seat, true", "Desk, false", "Desk, true"})
  void increase_intoAFreeUniqueValue_movesTheUniqueKey(String model, boolean flushed) {
    s1AndS2(model, flushed);

    Map<String, Object> increased = sdb.increase(model, Map.of("number", 2), Map.of("id", "s1"));

    assertThat(increased).isEqualTo(Map.of("number", 3));
    assertThat(sdb.load(model, Map.of("number", 3)).map(e -> e.get("id"))).contains("s1");
    assertThat(sdb.load(model, Map.of("number", 1))).isEmpty();
    assertThat(sdb.load(model, Map.of("number", 2)).map(e -> e.get("id"))).contains("s2");
    // the freed value can be taken, and the new one is a duplicate now
    sdb.increase(model, Map.of("number", -1), Map.of("id", "s2"));
    assertThat(sdb.load(model, Map.of("number", 1)).map(e -> e.get("id"))).contains("s2");
    assertThatThrownBy(() -> sdb.increase(model, Map.of("number", 2), Map.of("id", "s2")))
        .isExactlyInstanceOf(DuplicateKeyException.class);
    sdb.commitBlock();
    sdb.close();
    open();
    assertThat(sdb.load(model, Map.of("number", 3)).map(e -> e.get("id"))).contains("s1");
    assertThat(sdb.load(model, Map.of("number", 1)).map(e -> e.get("id"))).contains("s2");
    assertThat(sdb.load(model, Map.of("number", 2))).isEqualTo(Optional.empty());
  }
}
