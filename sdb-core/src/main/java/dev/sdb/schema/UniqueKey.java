package dev.sdb.schema;

import java.util.List;

/**
 * A unique key: no two entities of the model may hold the same non-null value(s) in these columns.
 * A composite value with any null column is not indexed (SQL semantics); every other value,
 * {@code ""} and {@code 0} included, is.
 */
public record UniqueKey(String name, List<Column> columns) {
  public UniqueKey {
    columns = List.copyOf(columns);
  }

  public boolean isComposite() {
    return columns.size() > 1;
  }
}
