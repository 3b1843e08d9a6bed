package dev.sdb.sql;

import dev.sdb.ChangeSet;
import dev.sdb.Delta;
import dev.sdb.schema.ModelSchema;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The net effect of a sequence of deltas on each row, so that one flush writes every row once:
 * created and then updated = one INSERT of the final row; updated several times = one UPDATE of the
 * union of changed columns; created and deleted = nothing; deleted and created again = one UPDATE of
 * every column.
 */
final class NetChanges {
  /** The net change of one row. */
  static final class Row {
    /** In {@link #values}: a column the row's changes leave as it was. */
    private static final Object UNCHANGED = new Object();

    final ModelSchema model;
    final Object key;
    final boolean existedBefore;
    boolean existsAfter;
    /** The final value of each changed column, {@link #UNCHANGED} for the others. */
    final Object[] values;

    Row(ModelSchema model, Object key, boolean existedBefore) {
      this.model = model;
      this.key = key;
      this.existedBefore = existedBefore;
      this.existsAfter = existedBefore;
      this.values = new Object[model.columns().size()];
      Arrays.fill(values, UNCHANGED);
    }

    void apply(Delta d) {
      switch (d.type()) {
        case NEW -> {
          existsAfter = true;
          takeCurrent(d); // every column: a NEW delta names them all
        }
        case MODIFY -> {
          takeCurrent(d);
        }
        case DELETE -> {
          existsAfter = false;
          Arrays.fill(values, UNCHANGED);
        }
      }
    }

    private void takeCurrent(Delta d) {
      for (int i = 0; i < d.changeCount(); i++) {
        values[d.changedColumn(i).index()] = d.current(i);
      }
    }

    private boolean changedAny() {
      for (Object v : values) {
        if (v != UNCHANGED) {
          return true;
        }
      }
      return false;
    }

    Kind kind() {
      if (!existedBefore) {
        return existsAfter ? Kind.INSERT : Kind.NONE;
      }
      if (!existsAfter) {
        return Kind.DELETE;
      }
      return changedAny() ? Kind.UPDATE : Kind.NONE;
    }

    /** Columns an UPDATE sets: the changed ones that are not part of the primary key. */
    BitSet updateColumns() {
      BitSet cols = new BitSet(values.length);
      for (int i = 0; i < values.length; i++) {
        if (values[i] != UNCHANGED) {
          cols.set(i);
        }
      }
      model.primaryKey().forEach(k -> cols.clear(k.index()));
      return cols;
    }

    /** The final value of a changed column. */
    @Nullable Object value(int column) {
      Object v = values[column];
      if (v == UNCHANGED) {
        throw new IllegalStateException(model.name() + model.keyMap(key) + ": column "
            + model.columns().get(column).name() + " is not changed");
      }
      return v;
    }
  }

  enum Kind { INSERT, UPDATE, DELETE, NONE }

  private final Map<String, Map<Object, Row>> rows = new LinkedHashMap<>();

  void addAll(ChangeSet block) {
    for (Delta d : block.deltas()) {
      add(d);
    }
  }

  /**
   * Takes a block back out: its inverse deltas, newest first. The rows it touched keep their
   * changed columns, now set back to the values before it, so they may be written unchanged.
   */
  void undo(ChangeSet block) {
    List<Delta> deltas = block.deltas();
    for (int i = deltas.size() - 1; i >= 0; i--) {
      add(deltas.get(i).inverse());
    }
  }

  void add(Delta d) {
    Map<Object, Row> byKey = rows.computeIfAbsent(d.model().name(), n -> new LinkedHashMap<>());
    Row row = byKey.get(d.key());
    if (row == null) {
      row = new Row(d.model(), d.key(), d.type() != dev.sdb.DeltaType.NEW);
      byKey.put(d.key(), row);
    }
    row.apply(d);
  }

  /** Net rows per model name, in order of first change. */
  Map<String, Map<Object, Row>> byModel() {
    return rows;
  }
}
