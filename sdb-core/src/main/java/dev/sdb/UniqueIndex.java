package dev.sdb;

import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.UniqueKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Unique value → primary key, for each unique key of a model, over the rows a table indexes. */
final class UniqueIndex {
  private final List<UniqueKey> keys;
  private final Map<Object, Object>[] maps;

  @SuppressWarnings({"unchecked", "rawtypes"})
  UniqueIndex(ModelSchema model) {
    this.keys = model.uniqueKeys();
    this.maps = new Map[keys.size()];
    for (int i = 0; i < maps.length; i++) {
      maps[i] = new HashMap<>();
    }
  }

  @Nullable Object keyOf(UniqueKey key, Object value) {
    return maps[keys.indexOf(key)].get(value);
  }

  /** Moves the index entries of one entity from its old row to its new row. */
  void replace(Object pk, Object @Nullable [] before, Object @Nullable [] after) {
    for (int i = 0; i < maps.length; i++) {
      UniqueKey uk = keys.get(i);
      Object old = before == null ? null : ModelSchema.valueOf(before, uk.columns());
      Object now = after == null ? null : ModelSchema.valueOf(after, uk.columns());
      if (Objects.equals(old, now)) {
        continue;
      }
      if (old != null) {
        maps[i].remove(old, pk);
      }
      if (now != null) {
        maps[i].put(now, pk);
      }
    }
  }

  void remove(Object pk, Object[] row) {
    replace(pk, row, null);
  }

  boolean isEmpty() {
    return maps.length == 0;
  }
}
