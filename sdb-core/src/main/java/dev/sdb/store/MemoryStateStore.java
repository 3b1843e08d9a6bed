package dev.sdb.store;

import dev.sdb.BlockHeader;
import dev.sdb.ChangeSet;
import dev.sdb.Delta;
import dev.sdb.StoreException;
import dev.sdb.schema.Column;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StateStore} in memory: the same engine runs over it as over a database, so the core's
 * tests and benchmarks need no server. It keeps every row and every change set, is thread-safe
 * (one lock), and is lost when the process ends. Lookups by a unique key scan the table; it is
 * meant for tests and benchmarks, not for production.
 */
public final class MemoryStateStore implements StateStore {
  private final Map<String, Map<Object, Object[]>> tables = new HashMap<>();
  private final NavigableMap<Long, ChangeSet> history = new TreeMap<>();
  private long flushedHeight = -1;
  private int applyCalls;

  @Override
  public synchronized void open(Schema schema) {
    for (ModelSchema m : schema.models()) {
      tables.putIfAbsent(m.name(), new HashMap<>());
    }
  }

  @Override
  public synchronized long flushedHeight() {
    return flushedHeight;
  }

  /** How many times {@link #apply} succeeded (each is one flush). */
  public synchronized int applyCalls() {
    return applyCalls;
  }

  /** The headers of the blocks this store holds, lowest first. */
  public synchronized List<BlockHeader> blocks() {
    return history.values().stream().map(ChangeSet::block).toList();
  }

  @Override
  public synchronized java.util.Optional<String> blockId(long height) {
    return java.util.Optional.ofNullable(history.get(height)).map(set -> set.block().id());
  }

  /** A copy of every row of a model, for assertions in tests. */
  public synchronized List<Object[]> rows(ModelSchema model) {
    List<Object[]> rows = new ArrayList<>();
    scan(model, rows::add);
    return rows;
  }

  @Override
  public synchronized long estimatedRows(ModelSchema model) {
    return table(model).size();
  }

  @Override
  public synchronized Object @Nullable [] find(
      ModelSchema model, List<Column> columns, List<Object> values) {
    Map<Object, Object[]> table = table(model);
    if (columns.equals(model.primaryKey())) {
      Object[] row = table.get(columns.size() == 1 ? values.get(0) : values);
      return row == null ? null : row.clone();
    }
    for (Object[] row : table.values()) {
      boolean match = true;
      for (int i = 0; i < columns.size() && match; i++) {
        match = Column.sameValue(row[columns.get(i).index()], values.get(i));
      }
      if (match) {
        return row.clone();
      }
    }
    return null;
  }

  @Override
  public synchronized void scan(ModelSchema model, Consumer<Object[]> sink) {
    List<Object> keys = new ArrayList<>(table(model).keySet());
    keys.sort(ModelSchema.KEY_ORDER);
    for (Object k : keys) {
      sink.accept(table(model).get(k).clone());
    }
  }

  @Override
  public synchronized void apply(List<ChangeSet> blocks) {
    Map<String, Map<Object, Object[]>> undo = new HashMap<>();
    long height = flushedHeight;
    try {
      for (ChangeSet set : blocks) {
        if (set.height() != height + 1) {
          throw new StoreException("block " + set.height() + " does not follow height " + height);
        }
        String context = "flush of block " + set.height();
        for (Delta d : set.deltas()) {
          applyDelta(d, d, context, undo);
        }
        height = set.height();
      }
    } catch (RuntimeException e) {
      restore(undo);
      throw e instanceof StoreException se ? se
          : new StoreException("flush of " + blocks.size() + " blocks failed", e);
    }
    for (ChangeSet set : blocks) {
      history.put(set.height(), set);
    }
    flushedHeight = height;
    applyCalls++;
  }

  @Override
  public synchronized List<ChangeSet> changeSetsAbove(long height) {
    return List.copyOf(history.tailMap(height, false).values());
  }

  @Override
  public synchronized void revertTo(long height) {
    if (height > flushedHeight) {
      throw new StoreException("cannot revert to " + height + ": store is at " + flushedHeight);
    }
    Map<String, Map<Object, Object[]>> undo = new HashMap<>();
    try {
      for (ChangeSet set : history.descendingMap().headMap(height, false).values()) {
        List<Delta> deltas = set.deltas();
        String context = "rollback of block " + set.height();
        for (int i = deltas.size() - 1; i >= 0; i--) {
          Delta d = deltas.get(i);
          applyDelta(d, d.inverse(), context, undo);
        }
      }
    } catch (RuntimeException e) {
      restore(undo);
      throw e;
    }
    history.tailMap(height, false).clear();
    flushedHeight = height;
  }

  /** Nothing survives the process, so there is nothing for a write-ahead log to protect. */
  @Override
  public boolean isDurable() {
    return false;
  }

  @Override
  public void close() {}

  private void applyDelta(Delta original, Delta d, String context,
      Map<String, Map<Object, Object[]>> undo) {
    Map<Object, Object[]> table = table(original.model());
    Object key = d.key();
    Object[] current = table.get(key);
    undo.computeIfAbsent(original.model().name(), n -> new HashMap<>())
        .putIfAbsent(key, current == null ? ABSENT : current);
    Object[] next = d.applyTo(current, context);
    if (next == null) {
      table.remove(key);
    } else {
      table.put(key, next);
    }
  }

  private void restore(Map<String, Map<Object, Object[]>> undo) {
    undo.forEach((model, rows) -> rows.forEach((key, row) -> {
      if (row == ABSENT) {
        tables.get(model).remove(key);
      } else {
        tables.get(model).put(key, row);
      }
    }));
  }

  private Map<Object, Object[]> table(ModelSchema model) {
    Map<Object, Object[]> t = tables.get(model.name());
    if (t == null) {
      throw new StoreException("model " + model.name() + " is not part of the opened schema");
    }
    return t;
  }

  private static final Object[] ABSENT = new Object[0];
}
