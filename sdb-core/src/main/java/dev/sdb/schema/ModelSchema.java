package dev.sdb.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The schema of one model (one table): typed columns, primary key, unique keys, indexes, and
 * whether the model lives fully in memory or in a bounded cache.
 *
 * <p>Build one with {@link #builder(String)} or derive it from an annotated record or class with
 * {@link #of(Class)}; both produce equal schemas for the same declaration. Every model has the
 * column {@value Column#VERSION} as its last column. Instances are immutable and thread-safe.
 */
public final class ModelSchema {
  /** Default bound of a normal model's cache when none is declared. */
  public static final int DEFAULT_MAX_CACHED = 50_000;

  /**
   * Orders normalised keys ({@link #keyOf}): values by their natural order, composite keys column
   * by column. This is SDB's deterministic iteration order (getAll, scans, queries without sort).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Comparator<Object> KEY_ORDER = (a, b) -> {
    if (a instanceof List<?> x && b instanceof List<?> y) {
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
        int c = ((Comparable) x.get(i)).compareTo(y.get(i));
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(x.size(), y.size());
    }
    return ((Comparable) a).compareTo(b);
  };

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

  private final String name;
  private final String table;
  private final boolean memory;
  private final int maxCached;
  private final List<Column> columns;
  private final Map<String, Column> byName;
  private final List<Column> primaryKey;
  private final List<UniqueKey> uniqueKeys;
  private final List<Index> indexes;

  private ModelSchema(Builder b, List<Column> columns, List<Column> primaryKey,
      List<UniqueKey> uniqueKeys, List<Index> indexes) {
    this.name = b.name;
    this.table = b.table != null ? b.table : requireIdentifier(snakeCase(b.name),
        "table name " + snakeCase(b.name) + " derived from model " + b.name + " (give a shorter "
        + "one with table(...))");
    this.memory = b.memory;
    this.maxCached = b.maxCached != null ? b.maxCached : DEFAULT_MAX_CACHED;
    this.columns = List.copyOf(columns);
    Map<String, Column> map = new HashMap<>();
    for (Column c : columns) {
      map.put(c.name(), c);
    }
    this.byName = Collections.unmodifiableMap(map);
    this.primaryKey = List.copyOf(primaryKey);
    this.uniqueKeys = List.copyOf(uniqueKeys);
    this.indexes = List.copyOf(indexes);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Derives the schema from a record or class annotated with {@link Model}. */
  public static ModelSchema of(Class<?> type) {
    return AnnotatedModels.schemaOf(type);
  }

  public String name() {
    return name;
  }

  /** The database table name: the model name in snake case unless declared otherwise. */
  public String table() {
    return table;
  }

  /** Memory models are loaded completely at start-up; normal models are cached. */
  public boolean isMemory() {
    return memory;
  }

  /** The bound of a normal model's cache (entities with unflushed changes come on top). */
  public int maxCached() {
    return maxCached;
  }

  /** All columns in row order; {@value Column#VERSION} is last. */
  public List<Column> columns() {
    return columns;
  }

  public @Nullable Column column(String columnName) {
    return byName.get(columnName);
  }

  public Column versionColumn() {
    return columns.get(columns.size() - 1);
  }

  public List<Column> primaryKey() {
    return primaryKey;
  }

  public boolean hasCompositeKey() {
    return primaryKey.size() > 1;
  }

  /**
   * The normalised primary key of a row: the key column's value for a single-column key, an
   * immutable {@link List} of the values (in key order) for a composite key. Normalised keys are
   * what {@code equals}/{@code hashCode} compare, so they can key a map.
   */
  public Object keyOf(@Nullable Object[] row) {
    Object key = valueOf(row, primaryKey);
    if (key == null) {
      throw new IllegalArgumentException(name + ": a row without its primary key "
          + primaryKey.stream().map(Column::name).toList());
    }
    return key;
  }

  /**
   * The value a row holds for a key's columns, normalised like {@link #keyOf}; {@code null} when
   * any of them is null (such a value is not indexed, as in SQL).
   */
  public static @Nullable Object valueOf(@Nullable Object[] row, List<Column> key) {
    if (key.size() == 1) {
      return row[key.get(0).index()];
    }
    Object[] values = new Object[key.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row[key.get(i).index()];
      if (values[i] == null) {
        return null;
      }
    }
    return List.of(values);
  }


  /** The column values of a normalised key, in key order. */
  public static List<Object> keyValues(Object normalisedKey, int keySize) {
    return keySize == 1 ? List.of(normalisedKey) : castList(normalisedKey);
  }

  /** The primary key as an ordered map, column name to value. */
  public Map<String, Object> keyMap(Object normalisedKey) {
    if (primaryKey.size() == 1) {
      return Map.of(primaryKey.get(0).name(), normalisedKey);
    }
    List<Object> values = castList(normalisedKey);
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < primaryKey.size(); i++) {
      map.put(primaryKey.get(i).name(), values.get(i));
    }
    return Collections.unmodifiableMap(map);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> castList(Object key) {
    return (List<Object>) key;
  }

  public List<UniqueKey> uniqueKeys() {
    return uniqueKeys;
  }

  public List<Index> indexes() {
    return indexes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSchema m
        && name.equals(m.name) && table.equals(m.table) && memory == m.memory
        && maxCached == m.maxCached && columns.equals(m.columns)
        && primaryKey.equals(m.primaryKey) && uniqueKeys.equals(m.uniqueKeys)
        && indexes.equals(m.indexes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, columns, primaryKey);
  }

  @Override
  public String toString() {
    return "ModelSchema[" + name + (memory ? ", memory" : ", normal, maxCached=" + maxCached)
        + ", columns=" + columns.stream().map(Column::name).toList()
        + ", primaryKey=" + primaryKey.stream().map(Column::name).toList() + "]";
  }

  static String snakeCase(String name) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0) {
          sb.append('_');
        }
        sb.append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Builds a {@link ModelSchema}. Columns are added with {@link #string} or {@link #column}; the
   * modifiers {@link #nullable()}, {@link #defaultValue}, {@link #unique()} and {@link #indexed()}
   * apply to the column added last. Columns are NOT NULL unless declared nullable.
   */
  public static final class Builder {
    private final String name;
    private @Nullable String table;
    private boolean memory;
    private @Nullable Integer maxCached;
    private final List<ColumnSpec> specs = new ArrayList<>();
    private List<String> primaryKey = List.of();
    private final Map<String, List<String>> uniqueKeys = new LinkedHashMap<>();
    private final Map<String, List<String>> indexes = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = requireIdentifier(name, "model name");
    }

    /** Keep every entity of this model in memory (loaded at start-up). */
    public Builder memory() {
      this.memory = true;
      return this;
    }

    /** Bound the cache of this normal model. */
    public Builder maxCached(int maxCached) {
      if (this.maxCached != null) {
        throw new IllegalStateException("maxCached was already set to " + this.maxCached);
      }
      if (maxCached < 1) {
        throw new IllegalArgumentException("maxCached must be positive: " + maxCached);
      }
      this.maxCached = maxCached;
      return this;
    }

    /** Overrides the table name (default: the model name in snake case). */
    public Builder table(String tableName) {
      this.table = requireIdentifier(tableName, "table name");
      return this;
    }

    public Builder string(String columnName, int maxLength) {
      if (maxLength < 1) {
        throw new IllegalArgumentException(
            name + "." + columnName + ": maxLength must be positive: " + maxLength);
      }
      return add(columnName, ColumnType.STRING, maxLength);
    }

    public Builder column(String columnName, ColumnType type) {
      if (type == ColumnType.STRING) {
        return string(columnName, DEFAULT_STRING_LENGTH);
      }
      return add(columnName, type, Integer.MAX_VALUE);
    }

    public Builder nullable() {
      last().nullable = true;
      return this;
    }

    public Builder defaultValue(Object value) {
      last().defaultValue = Objects.requireNonNull(value, "defaultValue");
      return this;
    }

    /** Declares a single-column unique key on the last column. */
    public Builder unique() {
      String column = last().name;
      return uniqueKey(column);
    }

    /** Declares a single-column index on the last column. */
    public Builder indexed() {
      return index(last().name);
    }

    public Builder primaryKey(String... columnNames) {
      if (!primaryKey.isEmpty()) {
        throw new IllegalStateException(name + ": primary key was already set to " + primaryKey);
      }
      this.primaryKey = List.of(columnNames);
      return this;
    }

    public Builder uniqueKey(String... columnNames) {
      List<String> cols = List.of(columnNames);
      if (uniqueKeys.putIfAbsent(String.join("_", cols), cols) != null) {
        throw new IllegalStateException(name + ": unique key " + cols + " declared twice");
      }
      return this;
    }

    public Builder index(String... columnNames) {
      List<String> cols = List.of(columnNames);
      if (indexes.putIfAbsent(String.join("_", cols), cols) != null) {
        throw new IllegalStateException(name + ": index " + cols + " declared twice");
      }
      return this;
    }

    /** Validates the declaration and returns the immutable schema. */
    public ModelSchema build() {
      if (specs.isEmpty()) {
        throw new SchemaException(name + ": a model needs at least one column");
      }
      if (primaryKey.isEmpty()) {
        throw new SchemaException(name + ": no primary key declared");
      }
      if (memory && maxCached != null) {
        throw new SchemaException(name + ": maxCached applies to normal models only; "
            + "memory models hold every entity");
      }
      List<Column> columns = new ArrayList<>();
      for (ColumnSpec spec : specs) {
        columns.add(spec.toColumn(name, columns.size(), primaryKey.contains(spec.name)));
      }
      columns.add(new Column(Column.VERSION, ColumnType.LONG, Integer.MAX_VALUE, false, null,
          columns.size()));
      Map<String, Column> byName = new HashMap<>();
      columns.forEach(c -> byName.put(c.name(), c));
      List<Column> pk = resolve(byName, primaryKey, "primary key");
      List<UniqueKey> uks = new ArrayList<>();
      uniqueKeys.forEach((ukName, cols) ->
          uks.add(new UniqueKey(ukName, resolve(byName, cols, "unique key"))));
      List<Index> idx = new ArrayList<>();
      indexes.forEach((ixName, cols) -> idx.add(new Index(ixName, resolve(byName, cols, "index"))));
      return new ModelSchema(this, columns, pk, uks, idx);
    }

    private List<Column> resolve(Map<String, Column> byName, List<String> names, String what) {
      List<Column> result = new ArrayList<>();
      for (String n : names) {
        Column c = byName.get(n);
        if (c == null || c.isVersion()) {
          throw new SchemaException(name + ": " + what + " names unknown column '" + n + "'");
        }
        if (!what.equals("index") && !c.type().isKeyable()) {
          throw new SchemaException(
              name + "." + n + ": a " + c.type() + " column cannot be part of a " + what);
        }
        if (result.contains(c)) {
          throw new SchemaException(name + ": " + what + " lists column '" + n + "' twice");
        }
        result.add(c);
      }
      if (result.isEmpty()) {
        throw new SchemaException(name + ": " + what + " without columns");
      }
      return result;
    }

    private Builder add(String columnName, ColumnType type, int maxLength) {
      requireIdentifier(columnName, name + " column name");
      for (ColumnSpec s : specs) {
        if (s.name.equalsIgnoreCase(columnName)) { // SQLite and MariaDB fold the case of columns
          throw new SchemaException(name + ": column '" + columnName + "' declared twice"
              + (s.name.equals(columnName) ? "" : " (as '" + s.name + "'; databases compare "
              + "column names without regard to case)"));
        }
      }
      specs.add(new ColumnSpec(columnName, type, maxLength));
      return this;
    }

    private ColumnSpec last() {
      if (specs.isEmpty()) {
        throw new IllegalStateException(name + ": declare a column before its modifiers");
      }
      return specs.get(specs.size() - 1);
    }
  }

  /** Length of a string column declared without one. */
  public static final int DEFAULT_STRING_LENGTH = 255;

  private static String requireIdentifier(String s, String what) {
    if (s == null || !IDENTIFIER.matcher(s).matches()) {
      throw new SchemaException(what + " must be a letter followed by up to 62 letters, digits or "
          + "underscores: '" + s + "'");
    }
    return s;
  }

  private static final class ColumnSpec {
    final String name;
    final ColumnType type;
    final int maxLength;
    boolean nullable;
    @Nullable Object defaultValue;

    ColumnSpec(String name, ColumnType type, int maxLength) {
      this.name = name;
      this.type = type;
      this.maxLength = maxLength;
    }

    Column toColumn(String model, int index, boolean inPrimaryKey) {
      if (inPrimaryKey && nullable) {
        throw new SchemaException(model + "." + name + ": a primary key column cannot be nullable");
      }
      if (inPrimaryKey && defaultValue != null) {
        throw new SchemaException(
            model + "." + name + ": a primary key column cannot have a default; keys are required");
      }
      Object normalised = null;
      if (defaultValue != null) {
        try {
          normalised = type.coerce(defaultValue, maxLength);
        } catch (IllegalArgumentException e) {
          throw new SchemaException(model + "." + name + ": bad default: " + e.getMessage());
        }
      }
      return new Column(name, type, maxLength, nullable, normalised, index);
    }
  }
}
