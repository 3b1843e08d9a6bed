package dev.sdb;

import dev.sdb.schema.Column;
import dev.sdb.schema.ModelSchema;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The rules that turn a caller's values into rows: unknown properties, types, lengths, NOT NULL,
 * defaults, key changes and exact increases. Every method validates everything before it returns
 * a new row and never modifies the row it was given, so a rejected call changes nothing.
 */
final class Rows {
  private Rows() {}

  /** A new entity's row: values coerced, defaults filled, {@code _version_} 1. */
  static Object[] create(ModelSchema model, Map<String, ?> values) {
    Object[] row = given(model, values);
    for (Column c : model.columns()) {
      if (row[c.index()] != null || c.isVersion()) {
        continue;
      }
      if (model.primaryKey().contains(c)) {
        throw missingKeyColumn(model, values, c, "create");
      }
      Object v = c.defaultValue();
      row[c.index()] = v == null ? requireNullable(model, values, c) : coerce(model, values, c, v);
    }
    row[model.versionColumn().index()] = 1L;
    return row;
  }

  /**
   * Checks a create's values as {@link #create} does (property names, types, the primary key)
   * without filling defaults: what createOrLoad checks before it looks the entity up, so that bad
   * input fails whether or not the entity exists.
   */
  static void checkCreateValues(ModelSchema model, Map<String, ?> values, String op) {
    Object[] row = given(model, values);
    for (Column c : model.primaryKey()) {
      if (row[c.index()] == null) {
        throw missingKeyColumn(model, values, c, op);
      }
    }
  }

  /** The values given, checked and converted to their columns' types; the rest left null. */
  private static Object[] given(ModelSchema model, Map<String, ?> values) {
    Object[] row = new Object[model.columns().size()];
    for (Map.Entry<String, ?> e : values.entrySet()) {
      Column c = model.column(e.getKey());
      if (c == null) {
        throw unknown(model, keyText(model, values), e.getKey());
      }
      if (e.getValue() != null && !c.isVersion()) { // a record's _version_ is ignored: always 1
        row[c.index()] = coerce(model, values, c, e.getValue());
      }
    }
    return row;
  }

  private static InvalidKeyException missingKeyColumn(ModelSchema model, Map<String, ?> values,
      Column c, String op) {
    return new InvalidKeyException(model.name() + keyText(model, values) + "." + c.name() + ": "
        + op + " needs every primary key column " + names(model) + "; '" + c.name()
        + "' is missing");
  }

  /** The row after an update, or {@code null} if nothing changes. */
  static Object @Nullable [] update(ModelSchema model, Object[] before, Map<String, ?> changes) {
    Object[] after = null;
    for (Map.Entry<String, ?> e : changes.entrySet()) {
      Column c = writable(model, before, e.getKey());
      Object v = e.getValue() == null
          ? requireNullable(model, before, c) : coerce(model, before, c, e.getValue());
      if (Column.sameValue(before[c.index()], v)) {
        continue;
      }
      if (model.primaryKey().contains(c)) {
        throw new InvalidKeyException(where(model, before, c) + ": the primary key cannot be "
            + "changed (from " + before[c.index()] + " to " + v + "); delete and create instead");
      }
      if (after == null) {
        after = before.clone();
      }
      after[c.index()] = v;
    }
    return after == null ? null : bumpVersion(model, before, after);
  }

  /**
   * What an increase did: the row after it ({@code null} if every delta was zero) and the new
   * values of the increased properties, in the caller's order.
   */
  record Increased(Object @Nullable [] after, Map<String, Object> values) {}

  /** Adds {@code deltas} exactly. */
  static Increased increase(ModelSchema model, Object[] before, Map<String, ?> deltas) {
    Object[] after = null;
    // The common single-property increase returns a one-entry map, not a LinkedHashMap.
    Map<String, Object> values = deltas.size() == 1 ? null : new LinkedHashMap<>(4);
    Map<String, Object> single = Collections.emptyMap();
    for (Map.Entry<String, ?> e : deltas.entrySet()) {
      Column c = writable(model, before, e.getKey());
      if (!c.type().isInteger()) {
        throw new InvalidValueException(where(model, before, c) + ": cannot increase a "
            + c.type() + " column; only INT, LONG and BIG_INTEGER columns can be increased");
      }
      if (model.primaryKey().contains(c)) {
        throw new InvalidKeyException(where(model, before, c) + ": the primary key cannot be "
            + "increased");
      }
      if (e.getValue() == null) {
        throw new InvalidValueException(where(model, before, c) + ": increase by null");
      }
      Object v;
      try {
        v = c.type().add(before[c.index()], e.getValue());
      } catch (IllegalArgumentException ex) {
        throw new InvalidValueException(where(model, before, c) + ": increase by "
            + e.getValue() + " rejected: " + ex.getMessage());
      }
      if (values == null) {
        single = Collections.singletonMap(c.name(), v);
      } else {
        values.put(c.name(), v);
      }
      if (!Column.sameValue(before[c.index()], v)) {
        if (after == null) {
          after = before.clone();
        }
        after[c.index()] = v;
      }
    }
    return new Increased(after == null ? null : bumpVersion(model, before, after),
        values == null ? single : Collections.unmodifiableMap(values));
  }

  private static Object[] bumpVersion(ModelSchema model, Object[] before, Object[] after) {
    int v = model.versionColumn().index();
    after[v] = (Long) before[v] + 1;
    return after;
  }

  private static Column writable(ModelSchema model, Object[] row, String name) {
    Column c = model.column(name);
    if (c == null) {
      throw unknown(model, keyText(model, row), name);
    }
    if (c.isVersion()) {
      throw new UnknownPropertyException(where(model, row, c) + ": _version_ is maintained by "
          + "SDB and cannot be written");
    }
    return c;
  }

  private static Object coerce(ModelSchema model, Object rowOrValues, Column c, Object v) {
    try {
      return c.type().coerce(v, c.maxLength());
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException(model.name() + keyText(model, rowOrValues) + "." + c.name()
          + ": " + e.getMessage());
    }
  }

  private static @Nullable Object requireNullable(ModelSchema model, Object rowOrValues, Column c) {
    if (!c.nullable()) {
      throw new InvalidValueException(model.name() + keyText(model, rowOrValues) + "." + c.name()
          + ": null for a NOT NULL " + c.type() + " column");
    }
    return null;
  }

  private static UnknownPropertyException unknown(ModelSchema model, String key, String name) {
    return new UnknownPropertyException(model.name() + key + "." + name + ": unknown property; "
        + model.name() + " has " + model.columns().stream().map(Column::name).toList());
  }

  static String where(ModelSchema model, Object[] row, Column c) {
    return model.name() + keyText(model, row) + "." + c.name();
  }

  /** The entity's primary key as text, from a row or from a caller's value map. */
  static String keyText(ModelSchema model, Object rowOrValues) {
    Map<String, Object> key = new LinkedHashMap<>();
    for (Column k : model.primaryKey()) {
      Object v = rowOrValues instanceof Object[] row ? row[k.index()]
          : ((Map<?, ?>) rowOrValues).get(k.name());
      key.put(k.name(), v);
    }
    return key.toString();
  }

  private static String names(ModelSchema model) {
    return model.primaryKey().stream().map(Column::name).toList().toString();
  }
}
