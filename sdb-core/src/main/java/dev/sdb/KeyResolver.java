package dev.sdb;

import dev.sdb.schema.Column;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.UniqueKey;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a caller's key map into a normalised primary key. A key map may be the primary key (all
 * columns of a composite key, in any order) or the columns of one unique key; a key map that names
 * a property the model does not have is an {@link UnknownPropertyException}, anything else an
 * {@link InvalidKeyException}.
 */
final class KeyResolver {
  private KeyResolver() {}

  /**
   * The primary key of the entity the key map names, or {@code null} if no such entity exists
   * now (deleted entities included).
   */
  static @Nullable Object resolve(Table table, Map<String, ?> key, String operation) {
    ModelSchema model = table.model();
    List<Column> pk = model.primaryKey();
    if (key == null) {
      throw new InvalidKeyException(model.name() + ": " + operation + " needs a key, got null");
    }
    if (pk.size() == 1 && key.size() == 1) { // the common case: one probe of the caller's map
      Column c = pk.get(0);
      Object v = key.get(c.name());
      if (v != null) {
        return coerce(model, key, c, v);
      }
    }
    if (matches(key, pk)) {
      return normalise(model, key, pk, operation);
    }
    for (UniqueKey uk : model.uniqueKeys()) {
      if (matches(key, uk.columns())) {
        return table.keyOfUnique(uk, normalise(model, key, uk.columns(), operation));
      }
    }
    for (String name : key.keySet()) {
      if (model.column(name) == null) {
        throw new UnknownPropertyException(model.name() + key + "." + name + ": " + operation
            + " with a key that names an unknown property; " + model.name() + " has "
            + model.columns().stream().map(Column::name).toList());
      }
    }
    throw new InvalidKeyException(model.name() + key + ": " + operation + " needs a key: the "
        + "primary key " + names(pk) + (model.uniqueKeys().isEmpty() ? ""
        : " or a unique key " + model.uniqueKeys().stream().map(u -> names(u.columns())).toList()));
  }

  private static boolean matches(Map<String, ?> key, List<Column> columns) {
    if (key.size() != columns.size()) {
      return false;
    }
    for (Column c : columns) {
      if (!key.containsKey(c.name())) {
        return false;
      }
    }
    return true;
  }

  private static Object normalise(
      ModelSchema model, Map<String, ?> key, List<Column> columns, String operation) {
    if (columns.size() == 1) {
      return value(model, key, columns.get(0), operation);
    }
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = value(model, key, columns.get(i), operation);
    }
    return List.of(values);
  }

  private static Object value(ModelSchema model, Map<String, ?> key, Column c, String operation) {
    Object v = key.get(c.name());
    if (v == null) {
      throw new InvalidKeyException(model.name() + key + "." + c.name() + ": " + operation
          + " with a null key value");
    }
    return coerce(model, key, c, v);
  }

  private static Object coerce(ModelSchema model, Map<String, ?> key, Column c, Object v) {
    try {
      return c.type().coerce(v, c.maxLength());
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyException(model.name() + key + "." + c.name() + ": " + e.getMessage());
    }
  }

  private static List<String> names(List<Column> columns) {
    return columns.stream().map(Column::name).toList();
  }
}
