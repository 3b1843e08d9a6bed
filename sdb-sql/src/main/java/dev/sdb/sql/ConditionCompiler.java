package dev.sdb.sql;

import dev.sdb.InvalidValueException;
import dev.sdb.UnknownPropertyException;
import dev.sdb.schema.Column;
import dev.sdb.schema.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * Compiles the condition language of {@link Query} into a jOOQ condition. Every property name must
 * be a column of the model; every operator must be known; every value is converted to the column's
 * type and becomes a bind parameter. No string from a request reaches the SQL text.
 */
final class ConditionCompiler {
  private final SqlModel model;
  private final Dialect dialect;

  ConditionCompiler(SqlModel model, Dialect dialect) {
    this.model = model;
    this.dialect = dialect;
  }

  /** The condition; an empty one matches every row (and compiles to no condition at all). */
  Condition compile(@Nullable Map<String, ?> condition) {
    if (condition == null) {
      throw invalid("the condition is null; Map.of() matches every row");
    }
    List<Condition> parts = new ArrayList<>();
    for (Map.Entry<String, ?> e : condition.entrySet()) {
      String key = e.getKey();
      if (key == null) {
        throw invalid("a condition has a null property name: " + condition);
      }
      switch (key) {
        case "$and" -> parts.add(DSL.and(list(key, e.getValue())));
        case "$or" -> parts.add(DSL.or(list(key, e.getValue())));
        default -> parts.add(property(column(key), e.getValue()));
      }
    }
    return DSL.and(parts);
  }

  private List<Condition> list(String op, Object value) {
    if (!(value instanceof Collection<?> items) || items.isEmpty()) {
      throw invalid(op + " needs a non-empty list of conditions, got " + value);
    }
    List<Condition> conditions = new ArrayList<>();
    for (Object item : items) {
      if (!(item instanceof Map<?, ?> m)) {
        throw invalid(op + " needs conditions (objects), got " + item);
      }
      // {} matches every row; jOOQ would drop its empty condition from an OR instead
      conditions.add(m.isEmpty() ? DSL.trueCondition() : compile(cast(m)));
    }
    return conditions;
  }

  private Condition property(Column c, @Nullable Object spec) {
    Field<Object> f = model.field(c);
    if (!(spec instanceof Map<?, ?> ops)) {
      return spec == null ? f.isNull() : f.eq(param(c, spec));
    }
    if (ops.isEmpty()) {
      throw invalid(c.name() + ": empty operator object");
    }
    List<Condition> parts = new ArrayList<>();
    for (Map.Entry<?, ?> op : ops.entrySet()) {
      Object v = op.getValue();
      String name = String.valueOf(op.getKey());
      parts.add(switch (name) {
        case "$eq" -> v == null ? f.isNull() : f.eq(param(c, v));
        case "$ne" -> v == null ? f.isNotNull() : f.ne(param(c, v));
        case "$gt" -> f.gt(param(c, required(c, name, v)));
        case "$gte" -> f.ge(param(c, required(c, name, v)));
        case "$lt" -> f.lt(param(c, required(c, name, v)));
        case "$lte" -> f.le(param(c, required(c, name, v)));
        case "$in" -> f.in(params(c, name, v));
        case "$nin" -> {
          // like $ne, never a null property (SQL's NOT IN); so also not for an empty list
          List<Field<Object>> values = params(c, name, v);
          yield values.isEmpty() ? f.isNotNull() : f.notIn(values);
        }
        case "$like" -> {
          if (c.type() != ColumnType.STRING || !(v instanceof String pattern)) {
            throw invalid(c.name() + ": $like needs a string column and a string pattern");
          }
          // Backslash escapes % and _ on every database (SQLite has no escape character of its
          // own); the match is case-sensitive everywhere (see SqlStateStore's pools).
          yield f.coerce(String.class).like(DSL.val(likePattern(c, pattern)), '\\');
        }
        case "$null" -> {
          if (!(v instanceof Boolean isNull)) {
            throw invalid(c.name() + ": $null needs true or false, got " + v);
          }
          yield isNull ? f.isNull() : f.isNotNull();
        }
        default -> throw invalid(c.name() + ": unknown operator '" + name + "'; use $eq $ne $gt "
            + "$gte $lt $lte $in $nin $like $null");
      });
    }
    return DSL.and(parts);
  }

  /**
   * The most values one {@code $in} or {@code $nin} takes: each is a bind parameter, and the
   * databases refuse a statement with more than 32,766 (SQLite) or 65,535 of them.
   */
  static final int MAX_LIST_VALUES = 10_000;

  private List<Field<Object>> params(Column c, String op, @Nullable Object v) {
    if (!(v instanceof Collection<?> values)) {
      throw invalid(c.name() + ": " + op + " needs a list, got " + v);
    }
    if (values.size() > MAX_LIST_VALUES) {
      throw invalid(c.name() + ": " + op + " takes at most " + MAX_LIST_VALUES + " values, got "
          + values.size() + "; split the query");
    }
    List<Field<Object>> params = new ArrayList<>();
    for (Object value : values) {
      params.add(param(c, required(c, op, value)));
    }
    return params;
  }

  private Object required(Column c, String op, @Nullable Object v) {
    if (v == null) {
      throw invalid(c.name() + ": " + op + " with null; use $null");
    }
    return v;
  }

  /**
   * A pattern every database reads alike: storable text in which a backslash escapes only {@code
   * %}, {@code _} or itself (PostgreSQL refuses a trailing one; the others take it literally).
   */
  private String likePattern(Column c, String pattern) {
    try {
      ColumnType.STRING.coerce(pattern, Integer.MAX_VALUE);
    } catch (IllegalArgumentException e) {
      throw invalid(c.name() + ": $like pattern: " + e.getMessage());
    }
    for (int i = 0; i < pattern.length(); i++) {
      if (pattern.charAt(i) == '\\') {
        char next = ++i < pattern.length() ? pattern.charAt(i) : 0;
        if (next != '%' && next != '_' && next != '\\') {
          throw invalid(c.name() + ": $like pattern " + pattern + ": a backslash at offset "
              + (i - 1) + " must be followed by %, _ or another backslash");
        }
      }
    }
    return pattern;
  }

  /** A bind parameter holding the value converted to the column type, as JDBC wants it. */
  Field<Object> param(Column c, Object value) {
    Object v;
    try {
      v = c.type().coerce(value, Integer.MAX_VALUE);
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException(model.model.name() + "." + c.name() + ": " + e.getMessage());
    }
    if (v instanceof BigInteger b) {
      v = dialect == Dialect.SQLITE ? b.toString() : new BigDecimal(b);
    }
    return DSL.val(v, model.field(c));
  }

  Column column(String name) {
    Column c = model.model.column(name);
    if (c == null) {
      throw new UnknownPropertyException(model.model.name() + "." + name + ": unknown property; "
          + model.model.name() + " has " + model.model.columns().stream().map(Column::name).toList());
    }
    return c;
  }

  private InvalidValueException invalid(String message) {
    return new InvalidValueException(model.model.name() + ": " + message);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> cast(Map<?, ?> m) {
    return (Map<String, ?>) m;
  }

}
