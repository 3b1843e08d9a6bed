package dev.sdb;

import dev.sdb.schema.Column;
import dev.sdb.schema.ModelSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One change to one entity, in the public delta format: type, model, primary key, the entity's
 * version after the change ({@code dbVersion}; for a deletion, the version that was deleted) and
 * the changed properties with their original and current values. Immutable and thread-safe.
 *
 * <p>A delta shares the engine's rows, so every public accessor hands out byte arrays, the one
 * mutable value type, as copies; the engine and the encoders read the shared values through
 * the package-private {@code originalValue} and {@code currentValue}.
 *
 * <p>Undo is {@link #inverse()} applied with {@link #applyTo}: a new entity becomes a deletion, a
 * modification swaps its sides, a deletion becomes a new entity. {@code applyTo} checks the values
 * it expects before it writes, so drift between memory and the database is caught, not propagated.
 */
public final class Delta {
  private final DeltaType type;
  private final ModelSchema model;
  private final Object key;
  private final long dbVersion;
  /*
   * The changes are kept as two full-width rows, not one object per property: the engine's rows
   * are immutable, so a delta shares them with the table instead of copying values out of them.
   * before: the row the change starts from (MODIFY, DELETE); after: the row it leaves (NEW,
   * MODIFY). changed: the indexes of the changed columns in delta order, or null for every column
   * in column order. In a delta built from PropertyChanges, columns that did not change are null.
   */
  private final Object @Nullable [] before;
  private final Object @Nullable [] after;
  private final int @Nullable [] changed;
  private @Nullable List<PropertyChange> changes;

  /**
   * @param key the normalised primary key ({@link ModelSchema#keyOf})
   * @param changes for NEW and DELETE every column including {@code _version_}; a column they do
   *     not name (a delta recorded before a release added it) gets its default, or null, as the
   *     migration gave the rows that existed then; for MODIFY the changed columns, {@code
   *     _version_} last
   */
  public Delta(DeltaType type, ModelSchema model, Object key, long dbVersion,
      List<PropertyChange> changes) {
    this.type = Objects.requireNonNull(type);
    this.model = Objects.requireNonNull(model);
    this.key = Objects.requireNonNull(key);
    this.dbVersion = dbVersion;
    if (type != DeltaType.MODIFY && changes.size() < model.columns().size()) {
      changes = withDefaults(type, model, changes);
    }
    int width = model.columns().size();
    Object[] originals = type == DeltaType.NEW ? null : new Object[width];
    Object[] currents = type == DeltaType.DELETE ? null : new Object[width];
    int[] indexes = new int[changes.size()];
    for (int i = 0; i < indexes.length; i++) {
      PropertyChange c = changes.get(i);
      int index = c.column().index();
      if (index >= width || !model.columns().get(index).equals(c.column())) {
        throw new IllegalArgumentException(model.name() + model.keyMap(key) + ": property '"
            + c.name() + "' is not a column of " + model.name());
      }
      indexes[i] = index;
      // (a PropertyChange hands out copies of byte arrays: the delta never shares its caller's)
      if (originals != null) {
        originals[index] = c.original();
      }
      if (currents != null) {
        currents[index] = c.current();
      }
    }
    this.before = originals;
    this.after = currents;
    this.changed = indexes;
  }

  /** {@code changes} and, for each column they do not name, its default (or null). */
  private static List<PropertyChange> withDefaults(DeltaType type, ModelSchema model,
      List<PropertyChange> changes) {
    boolean[] named = new boolean[model.columns().size()];
    for (PropertyChange c : changes) {
      if (c.column().index() < named.length) {
        named[c.column().index()] = true;
      }
    }
    List<PropertyChange> all = new ArrayList<>(changes);
    for (Column c : model.columns()) {
      if (!named[c.index()]) {
        Object v = c.defaultValue();
        all.add(type == DeltaType.NEW ? new PropertyChange(c, null, v)
            : new PropertyChange(c, v, null));
      }
    }
    return all;
  }

  private Delta(DeltaType type, ModelSchema model, Object key, long dbVersion,
      Object @Nullable [] before, Object @Nullable [] after, int @Nullable [] changed) {
    this.type = Objects.requireNonNull(type);
    this.model = Objects.requireNonNull(model);
    this.key = Objects.requireNonNull(key);
    this.dbVersion = dbVersion;
    this.before = before;
    this.after = after;
    this.changed = changed;
  }

  /** The delta of a new entity; {@code row} is the table's immutable row. */
  static Delta created(ModelSchema model, Object key, Object[] row) {
    return new Delta(DeltaType.NEW, model, key, 1L, null, row, null);
  }

  /** The delta between two versions of an entity; {@code after} carries the bumped version. */
  static Delta modified(ModelSchema model, Object key, Object[] before, Object[] after) {
    int count = 0;
    for (int i = 0; i < before.length; i++) {
      if (!Column.sameValue(before[i], after[i])) {
        count++;
      }
    }
    int[] changed = new int[count];
    count = 0;
    for (int i = 0; i < before.length; i++) {
      if (!Column.sameValue(before[i], after[i])) {
        changed[count++] = i;
      }
    }
    return new Delta(DeltaType.MODIFY, model, key, versionOf(model, after), before, after,
        changed);
  }

  /** The delta of a deleted entity. */
  static Delta deleted(ModelSchema model, Object key, Object[] row) {
    return new Delta(DeltaType.DELETE, model, key, versionOf(model, row), row, null, null);
  }

  static long versionOf(ModelSchema model, Object[] row) {
    return (Long) row[model.versionColumn().index()];
  }

  public DeltaType type() {
    return type;
  }

  public ModelSchema model() {
    return model;
  }

  /** The normalised primary key: the value, or a List of values for a composite key. */
  public Object key() {
    return key;
  }

  /** The primary key as an ordered map, as in the JSON format. */
  public Map<String, Object> primaryKey() {
    return model.keyMap(key);
  }

  public long dbVersion() {
    return dbVersion;
  }

  /** The changed properties, in delta order; {@link #changeCount} and friends read them without allocating. */
  public List<PropertyChange> propertyChanges() {
    List<PropertyChange> list = changes;
    if (list == null) {
      PropertyChange[] array = new PropertyChange[changeCount()];
      for (int i = 0; i < array.length; i++) { // (PropertyChange copies them on the way out)
        array[i] = new PropertyChange(changedColumn(i), originalValue(i), currentValue(i));
      }
      list = java.util.Collections.unmodifiableList(java.util.Arrays.asList(array));
      changes = list;
    }
    return list;
  }

  /** How many properties changed. */
  public int changeCount() {
    return changed == null ? model.columns().size() : changed.length;
  }

  /** The column of the {@code i}-th change. */
  public Column changedColumn(int i) {
    return model.columns().get(index(i));
  }

  /** The value before the {@code i}-th change (a byte array is a copy); {@code null} for NEW. */
  public @Nullable Object original(int i) {
    return Column.export(originalValue(i));
  }

  /** The value after the {@code i}-th change (a byte array is a copy); {@code null} for DELETE. */
  public @Nullable Object current(int i) {
    return Column.export(currentValue(i));
  }

  /** {@link #original} without the copy: the engine's own value, never to be handed out. */
  @Nullable Object originalValue(int i) {
    return before == null ? null : before[index(i)];
  }

  /** {@link #current} without the copy: the engine's own value, never to be handed out. */
  @Nullable Object currentValue(int i) {
    return after == null ? null : after[index(i)];
  }

  private int index(int i) {
    return changed == null ? Objects.checkIndex(i, model.columns().size()) : changed[i];
  }

  /** The delta that undoes this one. */
  public Delta inverse() {
    return switch (type) {
      case NEW -> new Delta(DeltaType.DELETE, model, key, dbVersion, after, null, changed);
      case DELETE -> new Delta(DeltaType.NEW, model, key, dbVersion, null, before, changed);
      case MODIFY -> new Delta(DeltaType.MODIFY, model, key, versionBefore(), after, before,
          changed);
    };
  }

  /** The version a modification starts from: the original side of its {@code _version_} change. */
  private long versionBefore() {
    for (int i = 0; i < changeCount(); i++) {
      if (changedColumn(i).isVersion() && originalValue(i) instanceof Long v) {
        return v;
      }
    }
    throw new IllegalStateException(model.name() + primaryKey() + ": a modification without a "
        + "_version_ change");
  }

  /**
   * Applies this delta to the entity's current row and returns the new row ({@code null} for a
   * deletion). The given row is not modified, and the byte arrays this delta writes into the new
   * row are copies of its own.
   *
   * @param row the entity's current row, or {@code null} if it does not exist
   * @param context what is being done, for the error message ("rollback of block 41")
   * @throws StateDriftException if the row does not hold the values this delta starts from
   */
  public Object @Nullable [] applyTo(Object @Nullable [] row, String context) {
    return applyTo(row, context, true);
  }

  /** {@link #applyTo} for the engine: the new row shares this delta's values. */
  Object @Nullable [] applySharing(Object @Nullable [] row, String context) {
    return applyTo(row, context, false);
  }

  private Object @Nullable [] applyTo(Object @Nullable [] row, String context, boolean copy) {
    switch (type) {
      case NEW -> {
        if (row != null) {
          throw drift("entity exists, expected none", context);
        }
        Object[] created = new Object[model.columns().size()];
        for (int i = 0; i < changeCount(); i++) {
          created[index(i)] = copy ? current(i) : currentValue(i);
        }
        return created;
      }
      case MODIFY -> {
        if (row == null) {
          throw drift("entity missing, expected version " + (dbVersion - 1), context);
        }
        Object[] next = row.clone();
        for (int i = 0; i < changeCount(); i++) {
          int c = index(i);
          requireOriginal(row, i, context);
          next[c] = copy ? current(i) : currentValue(i);
        }
        return next;
      }
      case DELETE -> {
        if (row == null) {
          throw drift("entity missing, expected version " + dbVersion, context);
        }
        for (int i = 0; i < changeCount(); i++) {
          requireOriginal(row, i, context);
        }
        return null;
      }
    }
    throw new AssertionError(type);
  }

  private void requireOriginal(Object[] row, int i, String context) {
    int c = index(i);
    if (!Column.sameValue(row[c], originalValue(i))) {
      throw drift(changedColumn(i).name() + ": expected " + originalValue(i) + ", found " + row[c],
          context);
    }
  }

  private StateDriftException drift(String what, String context) {
    return new StateDriftException(model.name() + primaryKey() + "." + what + " during " + context);
  }

  /** This delta in the public JSON format. */
  public String toJson() {
    return ChangeSetJson.deltaToJson(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Delta d && type == d.type && model.equals(d.model) && key.equals(d.key)
        && dbVersion == d.dbVersion && sameChanges(d);
  }

  private boolean sameChanges(Delta d) {
    if (changeCount() != d.changeCount()) {
      return false;
    }
    for (int i = 0; i < changeCount(); i++) {
      if (!changedColumn(i).equals(d.changedColumn(i))
          || !Column.sameValue(originalValue(i), d.originalValue(i))
          || !Column.sameValue(currentValue(i), d.currentValue(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, model.name(), key, dbVersion);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
