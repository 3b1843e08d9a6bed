package dev.sdb.schema;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The set of models an {@code Sdb} manages, by name and by declaring class. Immutable.
 *
 * {@snippet :
 * Schema schema = Schema.builder()
 *     .model(Account.class)                       // annotated record
 *     .model(ModelSchema.builder("Round")         // or built by hand
 *         .string("round", 20).column("fee", ColumnType.BIG_INTEGER).defaultValue(0)
 *         .primaryKey("round").build())
 *     .build();
 * }
 */
public final class Schema {
  /** The beginning of the names of SDB's own tables, which no model's table may share. */
  public static final String RESERVED_TABLE_PREFIX = "sdb_";

  private final Map<String, ModelSchema> models;
  private final Map<Class<?>, ModelSchema> byType;

  private Schema(Map<String, ModelSchema> models, Map<Class<?>, ModelSchema> byType) {
    this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    this.byType = Map.copyOf(byType);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A schema of annotated model classes. */
  public static Schema of(Class<?>... types) {
    Builder b = builder();
    for (Class<?> t : types) {
      b.model(t);
    }
    return b.build();
  }

  public @Nullable ModelSchema model(String name) {
    return models.get(name);
  }

  /** The model declared by this class, or {@code null}. */
  public @Nullable ModelSchema model(Class<?> type) {
    return byType.get(type);
  }

  /** The class a model was declared with, if it was declared by annotation. */
  public @Nullable Class<?> typeOf(ModelSchema model) {
    for (Map.Entry<Class<?>, ModelSchema> e : byType.entrySet()) {
      if (e.getValue() == model) {
        return e.getKey();
      }
    }
    return null;
  }

  /** Every model, in the order they were added. */
  public Collection<ModelSchema> models() {
    return models.values();
  }

  public static final class Builder {
    private final Map<String, ModelSchema> models = new LinkedHashMap<>();
    private final Map<Class<?>, ModelSchema> byType = new HashMap<>();

    private Builder() {}

    /**
     * Adds a model. Table names are compared without regard to case, as SQLite and MariaDB
     * compare them; names beginning with {@value #RESERVED_TABLE_PREFIX} belong to SDB.
     */
    public Builder model(ModelSchema model) {
      if (models.containsKey(model.name())) {
        throw new SchemaException("model '" + model.name() + "' added twice");
      }
      String table = model.table().toLowerCase(Locale.ROOT);
      if (table.startsWith(RESERVED_TABLE_PREFIX)) {
        throw new SchemaException("model '" + model.name() + "': table names beginning with '"
            + RESERVED_TABLE_PREFIX + "' belong to SDB (its blocks and history); '"
            + model.table() + "' needs another table(...) name");
      }
      for (ModelSchema other : models.values()) {
        if (other.table().toLowerCase(Locale.ROOT).equals(table)) {
          throw new SchemaException("models '" + other.name() + "' and '" + model.name()
              + "' map to the same table ('" + other.table() + "' and '" + model.table()
              + "'; databases compare table names without regard to case)");
        }
      }
      models.put(model.name(), model);
      return this;
    }

    /** Adds a {@link Model}-annotated record or class; results map back to this type. */
    public Builder model(Class<?> type) {
      ModelSchema model = ModelSchema.of(type);
      model(model);
      byType.put(type, model);
      return this;
    }

    public Schema build() {
      if (models.isEmpty()) {
        throw new SchemaException("a schema needs at least one model");
      }
      return new Schema(models, byType);
    }
  }
}
