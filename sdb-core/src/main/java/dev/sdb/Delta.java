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
 * <p>Undo is {@link #inverse()} applied with {@link #applyTo}: a new entity becomes a deletion, a
 * modification swaps its sides, a deletion becomes a new entity. {@code applyTo} checks the values
 * it expects before it writes, so drift between memory and the database is caught, not propagated.
 */
public final class Delta {
  private final DeltaType type;
  private final ModelSchema model;
  private final Object key;
  private final long dbVersion;
  private final List<PropertyChange> changes;

  /**
   * @param key the normalised primary key ({@link ModelSchema#keyOf})
   * @param changes for NEW and DELETE every column including {@code _version_}; for MODIFY the
   *     changed columns, {@code _version_} last
   */
  public Delta(DeltaType type, ModelSchema model, Object key, long dbVersion,
      List<PropertyChange> changes) {
    this(type, model, key, dbVersion, List.copyOf(changes), true);
  }

  /** For lists the engine built itself and never touches again: no second copy. */
  private Delta(DeltaType type, ModelSchema model, Object key, long dbVersion,
      List<PropertyChange> owned, boolean trusted) {
    this.type = Objects.requireNonNull(type);
    this.model = Objects.requireNonNull(model);
    this.key = Objects.requireNonNull(key);
    this.dbVersion = dbVersion;
    this.changes = java.util.Collections.unmodifiableList(owned);
  }

  /** The delta of a new entity. */
  static Delta created(ModelSchema model, Object key, Object[] row) {
    List<PropertyChange> changes = new ArrayList<>(row.length);
    for (Column c : model.columns()) {
      changes.add(new PropertyChange(c, null, row[c.index()]));
    }
    return new Delta(DeltaType.NEW, model, key, 1L, changes, true);
  }

  /** The delta between two versions of an entity; {@code after} carries the bumped version. */
  static Delta modified(ModelSchema model, Object key, Object[] before, Object[] after) {
    List<PropertyChange> changes = new ArrayList<>(4);
    for (Column c : model.columns()) {
      int i = c.index();
      if (!Column.sameValue(before[i], after[i])) {
        changes.add(new PropertyChange(c, before[i], after[i]));
      }
    }
    return new Delta(DeltaType.MODIFY, model, key, versionOf(model, after), changes, true);
  }

  /** The delta of a deleted entity. */
  static Delta deleted(ModelSchema model, Object key, Object[] row) {
    List<PropertyChange> changes = new ArrayList<>(row.length);
    for (Column c : model.columns()) {
      changes.add(new PropertyChange(c, row[c.index()], null));
    }
    return new Delta(DeltaType.DELETE, model, key, versionOf(model, row), changes, true);
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

  public List<PropertyChange> propertyChanges() {
    return changes;
  }

  /** The delta that undoes this one. */
  public Delta inverse() {
    List<PropertyChange> swapped = new ArrayList<>(changes.size());
    for (PropertyChange c : changes) {
      swapped.add(c.inverse());
    }
    return switch (type) {
      case NEW -> new Delta(DeltaType.DELETE, model, key, dbVersion, swapped, true);
      case DELETE -> new Delta(DeltaType.NEW, model, key, dbVersion, swapped, true);
      case MODIFY -> new Delta(DeltaType.MODIFY, model, key, versionAfter(swapped), swapped, true);
    };
  }

  /** The version a modification leaves: the current side of its {@code _version_} change. */
  private long versionAfter(List<PropertyChange> modification) {
    for (PropertyChange c : modification) {
      if (c.column().isVersion() && c.current() instanceof Long v) {
        return v;
      }
    }
    throw new IllegalStateException(model.name() + primaryKey() + ": a modification without a "
        + "_version_ change");
  }

  /**
   * Applies this delta to the entity's current row and returns the new row ({@code null} for a
   * deletion). The given row is not modified.
   *
   * @param row the entity's current row, or {@code null} if it does not exist
   * @param context what is being done, for the error message ("rollback of block 41")
   * @throws StateDriftException if the row does not hold the values this delta starts from
   */
  public Object @Nullable [] applyTo(Object @Nullable [] row, String context) {
    switch (type) {
      case NEW -> {
        if (row != null) {
          throw drift("entity exists, expected none", context);
        }
        Object[] created = new Object[model.columns().size()];
        for (PropertyChange c : changes) {
          created[c.column().index()] = c.current();
        }
        return created;
      }
      case MODIFY -> {
        if (row == null) {
          throw drift("entity missing, expected version " + (dbVersion - 1), context);
        }
        Object[] next = row.clone();
        for (PropertyChange c : changes) {
          int i = c.column().index();
          if (!Column.sameValue(row[i], c.original())) {
            throw drift(c.name() + ": expected " + c.original() + ", found " + row[i], context);
          }
          next[i] = c.current();
        }
        return next;
      }
      case DELETE -> {
        if (row == null) {
          throw drift("entity missing, expected version " + dbVersion, context);
        }
        for (PropertyChange c : changes) {
          int i = c.column().index();
          if (!Column.sameValue(row[i], c.original())) {
            throw drift(c.name() + ": expected " + c.original() + ", found " + row[i], context);
          }
        }
        return null;
      }
    }
    throw new AssertionError(type);
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
        && dbVersion == d.dbVersion && sameChanges(changes, d.changes);
  }

  private static boolean sameChanges(List<PropertyChange> a, List<PropertyChange> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      PropertyChange x = a.get(i);
      PropertyChange y = b.get(i);
      if (!x.column().equals(y.column()) || !Column.sameValue(x.original(), y.original())
          || !Column.sameValue(x.current(), y.current())) {
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
