package dev.sdb.sql;

import dev.sdb.InvalidValueException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link SdbReader#findAll} reads: a condition, the fields to return (default: all), the sort
 * (default: primary key), and paging. Immutable; each {@code with}-style method returns a new
 * query. The primary key breaks ties between equal sort values, so pages neither repeat nor skip
 * rows, and nulls sort first when ascending and last when descending, on every database.
 *
 * <p>The condition is a map in the JSON-like language of the original SmartDB: {@code {"senderId":
 * "G1"}} is equality; {@code {"amount": {"$gte": 10, "$lt": 20}}} combines operators ({@code $eq
 * $ne $gt $gte $lt $lte $in $nin $like $null}); {@code {"$or": [{...}, {...}]}} and {@code
 * {"$and": [...]}} combine conditions. Property names are checked against the schema; values are
 * converted to the column's type and bound as parameters.
 *
 * {@snippet :
 * reader.findAll("Transfer", Query.where(Map.of("senderId", "G1"))
 *     .orderBy("height", Query.Order.DESC).limit(20).offset(40));
 * }
 */
public final class Query {
  /** Sort direction. */
  public enum Order { ASC, DESC }

  private final Map<String, ?> condition;
  private final List<String> fields;
  private final Map<String, Order> sort;
  private final @Nullable Integer limit;
  private final int offset;

  private Query(Map<String, ?> condition, List<String> fields, Map<String, Order> sort,
      @Nullable Integer limit, int offset) {
    this.condition = condition;
    this.fields = fields;
    this.sort = sort;
    this.limit = limit;
    this.offset = offset;
  }

  /** Every row. */
  public static Query all() {
    return where(Map.of());
  }

  /**
   * The rows matching {@code condition}; {@code Map.of()} matches every row. The query keeps a
   * copy: changing the map afterwards does not change the query.
   *
   * @throws InvalidValueException if the condition is null
   */
  public static Query where(Map<String, ?> condition) {
    if (condition == null) {
      throw new InvalidValueException("the condition is null; Query.all() reads every row");
    }
    return new Query(deepCopy(condition), List.of(), Map.of(), null, 0);
  }

  /** Maps and lists copied all the way down, unmodifiable; nulls (IS NULL) kept. */
  @SuppressWarnings("unchecked")
  private static <T> T deepCopy(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(k, deepCopy(v)));
      return (T) Collections.unmodifiableMap(copy);
    }
    if (value instanceof Collection<?> c) {
      List<Object> copy = new ArrayList<>(c.size());
      c.forEach(v -> copy.add(deepCopy(v)));
      return (T) Collections.unmodifiableList(copy);
    }
    return value;
  }

  public Query fields(String... names) {
    return new Query(condition, List.of(names), sort, limit, offset);
  }

  /** Adds a sort key; keys apply in the order they were added. */
  public Query orderBy(String field, Order order) {
    Map<String, Order> s = new LinkedHashMap<>(sort);
    s.put(Objects.requireNonNull(field), Objects.requireNonNull(order));
    return new Query(condition, fields, s, limit, offset);
  }

  public Query limit(int limit) {
    if (limit < 0) {
      throw new InvalidValueException("limit must not be negative: " + limit);
    }
    return new Query(condition, fields, sort, limit, offset);
  }

  public Query offset(int offset) {
    if (offset < 0) {
      throw new InvalidValueException("offset must not be negative: " + offset);
    }
    return new Query(condition, fields, sort, limit, offset);
  }

  public Map<String, ?> condition() {
    return condition;
  }

  public List<String> fields() {
    return fields;
  }

  public Map<String, Order> sort() {
    return sort;
  }

  public @Nullable Integer limit() {
    return limit;
  }

  public int offset() {
    return offset;
  }

  @Override
  public String toString() {
    return "Query[condition=" + condition + ", fields=" + fields + ", sort=" + sort + ", limit="
        + limit + ", offset=" + offset + "]";
  }
}
