package dev.sdb;

import dev.sdb.schema.Column;
import org.jspecify.annotations.Nullable;

/**
 * One property of a {@link Delta}: its value before ({@code original}) and after ({@code current})
 * the change. A {@link DeltaType#NEW} delta has no original, a {@link DeltaType#DELETE} delta no
 * current; both sides are then {@code null} and the delta's type says which side is meaningful.
 */
public record PropertyChange(Column column, @Nullable Object original, @Nullable Object current) {
  public String name() {
    return column.name();
  }

  /** The same change with the sides swapped. */
  public PropertyChange inverse() {
    return new PropertyChange(column, current, original);
  }
}
