package dev.sdb.sql;

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

  public static Query where(Map<String, ?> condition) {
    return new Query(Objects.requireNonNull(condition, "condition"), List.of(), Map.of(), null, 0);
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
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    return new Query(condition, fields, sort, limit, offset);
  }

  public Query offset(int offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative: " + offset);
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
