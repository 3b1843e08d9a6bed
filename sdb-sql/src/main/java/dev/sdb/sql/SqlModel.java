package dev.sdb.sql;

import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.sdb.schema.Column;
import dev.sdb.schema.ModelSchema;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * One model as SQL: its jOOQ table and fields, and the statement texts SDB runs on it, generated
 * once by jOOQ for the store's dialect and cached. Values are always {@code ?} parameters.
 */
final class SqlModel {
  final ModelSchema model;
  final Table<?> table;
  final List<Field<Object>> fields;
  final String insertSql;
  /** PostgreSQL only: the COPY that {@link PostgresBulk} inserts with. */
  final @Nullable String copySql;
  final String deleteSql;
  final String selectAllSql;
  private final DSLContext ctx;
  private final Map<BitSet, String> updates = new ConcurrentHashMap<>();
  private final Map<BitSet, String> bulkUpdates = new ConcurrentHashMap<>();
  private final Map<List<Column>, String> selectsBy = new ConcurrentHashMap<>();

  @SuppressWarnings("unchecked")
  SqlModel(ModelSchema model, DSLContext ctx, Dialect dialect) {
    this.model = model;
    this.ctx = ctx;
    this.table = table(name(model.table()));
    this.fields = new ArrayList<>();
    for (Column c : model.columns()) {
      fields.add((Field<Object>) DSL.field(name(c.name()), dialect.type(c)));
    }
    this.insertSql = ctx.render(ctx.insertInto(table, fields)
        .values(fields.stream().map(f -> (Object) DSL.val(null, f)).toList()));
    this.copySql = dialect == Dialect.POSTGRES ? PostgresBulk.statement(ctx, table, fields) : null;
    this.deleteSql = ctx.render(ctx.deleteFrom(table).where(keyCondition(model.primaryKey())));
    this.selectAllSql = ctx.render(ctx.select(fields).from(table)
        .orderBy(model.primaryKey().stream().map(this::field).toList()));
  }

  Field<Object> field(Column c) {
    return fields.get(c.index());
  }

  /** {@code UPDATE t SET c1 = ?, ... WHERE pk = ?}: the changed columns, then the key columns. */
  String updateSql(BitSet columns) {
    return updates.computeIfAbsent(columns, cols -> {
      Map<Field<?>, Field<?>> set = new java.util.LinkedHashMap<>();
      for (int i = cols.nextSetBit(0); i >= 0; i = cols.nextSetBit(i + 1)) {
        Field<Object> f = fields.get(i);
        set.put(f, DSL.val(null, f));
      }
      return ctx.render(ctx.update(table).set(set).where(keyCondition(model.primaryKey())));
    });
  }

  /** PostgreSQL: {@link PostgresBulk#updateStatement} for the columns an update group sets. */
  String bulkUpdateSql(BitSet columns) {
    return bulkUpdates.computeIfAbsent(columns,
        cols -> PostgresBulk.updateStatement(ctx, this, columns(cols)));
  }

  /** The model's columns whose indexes are set, in column order. */
  List<Column> columns(BitSet indexes) {
    List<Column> columns = new ArrayList<>(indexes.cardinality());
    for (int i = indexes.nextSetBit(0); i >= 0; i = indexes.nextSetBit(i + 1)) {
      columns.add(model.columns().get(i));
    }
    return columns;
  }

  /** {@code SELECT every column FROM t WHERE k1 = ? AND ...}. */
  String selectBySql(List<Column> columns) {
    return selectsBy.computeIfAbsent(columns,
        cols -> ctx.render(ctx.select(fields).from(table).where(keyCondition(cols))));
  }

  private Condition keyCondition(List<Column> columns) {
    Condition c = DSL.noCondition();
    for (Column k : columns) {
      Field<Object> f = field(k);
      c = c.and(f.eq(DSL.val(null, f)));
    }
    return c;
  }
}
