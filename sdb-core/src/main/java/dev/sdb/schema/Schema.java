package dev.sdb.schema;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

    public Builder model(ModelSchema model) {
      if (models.putIfAbsent(model.name(), model) != null) {
        throw new SchemaException("model '" + model.name() + "' added twice");
      }
      for (ModelSchema other : models.values()) {
        if (other != model && other.table().equals(model.table())) {
          throw new SchemaException("models '" + other.name() + "' and '" + model.name()
              + "' map to the same table '" + model.table() + "'");
        }
      }
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
