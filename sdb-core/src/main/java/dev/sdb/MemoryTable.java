package dev.sdb;

import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.UniqueKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A memory model: every entity in a plain map, loaded at start-up and authoritative from then on,
 * with a complete unique index. The store is never asked.
 */
final class MemoryTable implements Table {
  private final ModelSchema model;
  private final Map<Object, Object[]> rows = new HashMap<>();
  private final UniqueIndex unique;

  MemoryTable(ModelSchema model) {
    this.model = model;
    this.unique = new UniqueIndex(model);
  }

  /** Adds a row read from the store at start-up. */
  void load(Object[] row) {
    Object key = model.keyOf(row);
    rows.put(key, row);
    unique.replace(key, null, row);
  }

  @Override
  public ModelSchema model() {
    return model;
  }

  @Override
  public Object @Nullable [] get(Object key) {
    return rows.get(key);
  }

  @Override
  public @Nullable Object keyOfUnique(UniqueKey uniqueKey, Object value) {
    return unique.keyOf(uniqueKey, value);
  }

  @Override
  public void put(Object key, Object @Nullable [] before, Object @Nullable [] after, long height) {
    if (after == null) {
      rows.remove(key);
    } else {
      rows.put(key, after);
    }
    if (!unique.isEmpty()) {
      unique.replace(key, before, after);
    }
  }

  /** Every row, in primary-key order. */
  List<Object[]> all() {
    List<Object> keys = new ArrayList<>(rows.keySet());
    keys.sort(ModelSchema.KEY_ORDER);
    List<Object[]> result = new ArrayList<>(keys.size());
    for (Object k : keys) {
      result.add(rows.get(k));
    }
    return result;
  }

  @Override
  public void flushedTo(long height) {}

  @Override
  public void rolledBackTo(long height) {}

  @Override
  public int pinnedCount() {
    return 0;
  }

  @Override
  public long size() {
    return rows.size();
  }
}
