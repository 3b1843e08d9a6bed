package dev.sdb.schema;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One column of a model: its name, type, maximum length (strings), nullability and default.
 *
 * @param index position of the column in the model's rows (declaration order, {@code _version_}
 *     last)
 * @param defaultValue the normalised default, or {@code null} when the column has none
 */
public record Column(
    String name,
    ColumnType type,
    int maxLength,
    boolean nullable,
    @Nullable Object defaultValue,
    int index) {

  /** Name of the version column every model has. */
  public static final String VERSION = "_version_";

  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /** The default; a byte array as a copy, so that no caller can change it for everyone. */
  @Override
  public @Nullable Object defaultValue() {
    return export(defaultValue);
  }

  public boolean hasDefault() {
    return defaultValue != null;
  }

  public boolean isVersion() {
    return name.equals(VERSION);
  }

  /** Value equality as SDB means it: byte arrays by content, everything else by {@code equals}. */
  public static boolean sameValue(@Nullable Object a, @Nullable Object b) {
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    return Objects.equals(a, b);
  }

  /** A defensive copy of a stored value for the outside world (only byte arrays are mutable). */
  public static @Nullable Object export(@Nullable Object value) {
    return value instanceof byte[] bytes ? bytes.clone() : value;
  }
}
