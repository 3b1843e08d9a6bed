package dev.sdb;

import dev.sdb.schema.Column;
import dev.sdb.schema.ModelSchema;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An immutable map view of a stored row, in column order. Rows are never modified once stored, so
 * the view needs no copy; byte arrays, the one mutable value type, are copied on the way out.
 */
final class RowMap extends AbstractMap<String, @Nullable Object> {
  private final ModelSchema model;
  private final Object[] row;

  RowMap(ModelSchema model, Object[] row) {
    this.model = model;
    this.row = row;
  }

  @Override
  public @Nullable Object get(Object key) {
    Column c = key instanceof String s ? model.column(s) : null;
    return c == null ? null : Column.export(row[c.index()]);
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String s && model.column(s) != null;
  }

  @Override
  public int size() {
    return row.length;
  }

  @Override
  public Set<Map.Entry<String, @Nullable Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, @Nullable Object>> iterator() {
        return new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < row.length;
          }

          @Override
          public Map.Entry<String, @Nullable Object> next() {
            if (i >= row.length) {
              throw new NoSuchElementException();
            }
            Column c = model.columns().get(i++);
            return new SimpleImmutableEntry<>(c.name(), Column.export(row[c.index()]));
          }
        };
      }

      @Override
      public int size() {
        return row.length;
      }
    };
  }
}
