package dev.sdb;

import dev.sdb.schema.Column;
import org.jspecify.annotations.Nullable;

/**
 * One property of a {@link Delta}: its value before ({@code original}) and after ({@code current})
 * the change. A {@link DeltaType#NEW} delta has no original, a {@link DeltaType#DELETE} delta no
 * current; both sides are then {@code null} and the delta's type says which side is meaningful.
 *
 * <p>A change taken from a {@link Delta} holds the engine's own values, so the accessors hand out
 * byte arrays, the one mutable value type, as copies.
 */
public record PropertyChange(Column column, @Nullable Object original, @Nullable Object current) {
  public String name() {
    return column.name();
  }

  /** The value before the change; a byte array is a copy. */
  @Override
  public @Nullable Object original() {
    return Column.export(original);
  }

  /** The value after the change; a byte array is a copy. */
  @Override
  public @Nullable Object current() {
    return Column.export(current);
  }

  /** The same change with the sides swapped. */
  public PropertyChange inverse() {
    return new PropertyChange(column, current, original);
  }
}
