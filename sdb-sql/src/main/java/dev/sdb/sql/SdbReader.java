package dev.sdb.sql;

import static dev.sdb.sql.SystemTables.BLOCK;
import static dev.sdb.sql.SystemTables.CHANGE_SET;
import static dev.sdb.sql.SystemTables.DELTAS;
import static dev.sdb.sql.SystemTables.FIELDS;
import static dev.sdb.sql.SystemTables.HEIGHT;
import static dev.sdb.sql.SystemTables.ID;
import static dev.sdb.sql.SystemTables.PREV_ID;
import static dev.sdb.sql.SystemTables.TIMESTAMP;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sdb.BlockHeader;
import dev.sdb.ChangeSet;
import dev.sdb.InvalidValueException;
import dev.sdb.SdbException;
import dev.sdb.StoreException;
import dev.sdb.UnknownModelException;
import dev.sdb.schema.Column;
import dev.sdb.schema.ColumnType;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.OrderField;
import org.jooq.ResultQuery;
import org.jooq.SelectSeekStepN;
import org.jooq.impl.DSL;

/**
 * Reads for HTTP handlers, straight from the database. Thread-safe: every call borrows a
 * connection from the store's read pool, so reads never block the writer, and each call is one
 * statement, which sees whole flushed blocks only ({@link #flushedHeight()} says which).
 *
 * <p>Rows come back as immutable maps in column order, or mapped to a record/POJO. Without a sort,
 * rows come in primary-key order and blocks in height order.
 */
public final class SdbReader {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final Schema schema;
  private final Map<String, SqlModel> models;
  private final Dialect dialect;
  private final DSLContext ctx;
  private final DataSource pool;

  SdbReader(Schema schema, Map<String, SqlModel> models, Dialect dialect, DSLContext ctx,
      DataSource pool) {
    this.schema = schema;
    this.models = models;
    this.dialect = dialect;
    this.ctx = ctx;
    this.pool = pool;
  }

  /** Rows of {@code model} matching the query. */
  public List<Map<String, Object>> findAll(String model, Query query) {
    SqlModel m = model(model);
    ConditionCompiler cc = new ConditionCompiler(m, dialect);
    List<Column> columns = new ArrayList<>();
    if (query.fields().isEmpty()) {
      columns.addAll(m.model.columns());
    } else {
      query.fields().forEach(f -> columns.add(cc.column(f)));
    }
    List<OrderField<?>> order = new ArrayList<>();
    List<Column> sorted = new ArrayList<>();
    query.sort().forEach((f, o) -> {
      Column c = cc.column(f);
      Field<Object> field = m.field(c);
      sorted.add(c);
      // One order of nulls on every database (PostgreSQL's own puts them last when ascending).
      // Only where nulls can be: the clause keeps PostgreSQL from reading a NOT NULL column's
      // index backwards for ORDER BY ... DESC LIMIT n.
      if (!c.nullable()) {
        order.add(o == Query.Order.ASC ? field.asc() : field.desc());
      } else {
        order.add(o == Query.Order.ASC ? field.asc().nullsFirst() : field.desc().nullsLast());
      }
    });
    // The primary key breaks ties, so that pages (limit, offset) of a sort on a column with equal
    // values neither repeat nor skip rows: without it the database may order ties differently
    // for every query.
    for (Column k : m.model.primaryKey()) {
      if (!sorted.contains(k)) {
        order.add(m.field(k).asc());
      }
    }
    SelectSeekStepN<?> select = ctx.select(columns.stream().map(m::field).toList())
        .from(m.table).where(cc.compile(query.condition())).orderBy(order);
    ResultQuery<?> q = query.limit() != null
        ? select.limit(query.limit()).offset(query.offset())
        : query.offset() > 0 ? select.offset(query.offset()) : select;
    return run(q, rs -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
          Column c = columns.get(i);
          row.put(c.name(), dialect.read(rs, i + 1, c));
        }
        rows.add(Collections.unmodifiableMap(row));
      }
      return Collections.unmodifiableList(rows);
    }, "findAll " + model + " " + query);
  }

  /** Rows matching the query, mapped to a record or POJO declared as a model. */
  public <T> List<T> findAll(Class<T> type, Query query) {
    return findAll(modelName(type), query).stream().map(r -> toType(r, type)).toList();
  }

  /**
   * The one row matching the condition, if any.
   *
   * @throws TooManyRowsException if more than one row matches
   */
  public Optional<Map<String, Object>> findOne(String model, Map<String, ?> condition) {
    List<Map<String, Object>> rows = findAll(model, Query.where(condition).limit(2));
    if (rows.size() > 1) {
      throw new TooManyRowsException(model + ": findOne " + condition + " matched more than one "
          + "row");
    }
    return rows.stream().findFirst();
  }

  public <T> Optional<T> findOne(Class<T> type, Map<String, ?> condition) {
    return findOne(modelName(type), condition).map(r -> toType(r, type));
  }

  private static <T> T toType(Map<String, Object> row, Class<T> type) {
    try {
      return MAPPER.convertValue(row, type);
    } catch (IllegalArgumentException e) {
      throw new SdbException("cannot map " + row + " to " + type.getName() + " (a query with "
          + "fields(...) must select every property the type needs): " + e.getMessage(), e);
    }
  }

  public long count(String model, Map<String, ?> condition) {
    SqlModel m = model(model);
    Condition where = new ConditionCompiler(m, dialect).compile(condition);
    return run(ctx.selectCount().from(m.table).where(where), rs -> {
      rs.next();
      return rs.getLong(1);
    }, "count " + model + " " + condition);
  }

  public boolean exists(String model, Map<String, ?> condition) {
    return !findAll(model, Query.where(condition).fields(model(model).model.primaryKey().get(0)
        .name()).limit(1)).isEmpty();
  }

  public Optional<BlockHeader> blockByHeight(long height) {
    return blocks(HEIGHT.eq(DSL.val(height)), "block " + height).stream().findFirst();
  }

  public Optional<BlockHeader> blockById(String id) {
    if (id == null) {
      throw new InvalidValueException("block id is null");
    }
    try {
      ColumnType.STRING.coerce(id, Integer.MAX_VALUE); // no NUL: PostgreSQL refuses it
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException("block id " + id + ": " + e.getMessage());
    }
    return blocks(ID.eq(DSL.val(id)), "block " + id).stream().findFirst();
  }

  /** Blocks with {@code from <= height <= to}, lowest first. */
  public List<BlockHeader> blocks(long from, long to) {
    if (from < 0 || to < from) {
      throw new InvalidValueException("block range " + from + ".." + to + " is invalid: it needs "
          + "0 <= from <= to");
    }
    return blocks(HEIGHT.between(DSL.val(from), DSL.val(to)), "blocks " + from + ".." + to);
  }

  /**
   * A flushed block's change set: its header and its deltas, in order, as {@code rollbackBlock}
   * would undo them ({@link ChangeSet#deltasJson()} gives their public JSON). Empty if the block is
   * not in the database or its change set was pruned ({@code historyDepth}).
   */
  public Optional<ChangeSet> changeSet(long height) {
    return run(ctx.select(HEIGHT, ID, PREV_ID, TIMESTAMP, FIELDS, DELTAS).from(BLOCK)
        .join(CHANGE_SET).using(HEIGHT).where(HEIGHT.eq(DSL.val(height))), rs -> rs.next()
        ? Optional.of(HistoryCodec.read(SqlStateStore.readHeader(rs), rs.getBytes(6), schema))
        : Optional.<ChangeSet>empty(), "change set of block " + height);
  }

  /** The last flushed block, if any. */
  public Optional<BlockHeader> lastBlock() {
    return run(ctx.select(HEIGHT, ID, PREV_ID, TIMESTAMP, FIELDS).from(BLOCK)
        .orderBy(HEIGHT.desc()).limit(1), rs -> rs.next()
        ? Optional.of(SqlStateStore.readHeader(rs)) : Optional.<BlockHeader>empty(), "lastBlock");
  }

  /** The height of the last block in the database, -1 if none. */
  public long flushedHeight() {
    return lastBlock().map(BlockHeader::height).orElse(-1L);
  }

  /** The schema this reader validates names against. */
  public Schema schema() {
    return schema;
  }

  private List<BlockHeader> blocks(Condition where, String what) {
    return run(ctx.select(HEIGHT, ID, PREV_ID, TIMESTAMP, FIELDS).from(BLOCK).where(where)
        .orderBy(HEIGHT), rs -> {
      List<BlockHeader> list = new ArrayList<>();
      while (rs.next()) {
        list.add(SqlStateStore.readHeader(rs));
      }
      return list;
    }, what);
  }

  private interface Reader<R> {
    R read(ResultSet rs) throws SQLException;
  }

  private <R> R run(org.jooq.Query q, Reader<R> reader, String what) {
    String sql = ctx.render(q);
    List<Object> binds = ctx.extractBindValues(q);
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < binds.size(); i++) {
        ps.setObject(i + 1, binds.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        return reader.read(rs);
      }
    } catch (SQLException e) {
      throw new StoreException(what + " failed", e);
    }
  }

  private SqlModel model(String name) {
    SqlModel m = models.get(name);
    if (m == null) {
      throw new UnknownModelException("unknown model '" + name + "'; the schema has "
          + models.keySet());
    }
    return m;
  }

  private String modelName(Class<?> type) {
    ModelSchema m = schema.model(type);
    if (m == null) {
      throw new UnknownModelException("class " + type.getName() + " is not a model of this schema");
    }
    return m.name();
  }
}
