package dev.sdb.sql;

import static org.jooq.impl.DSL.constraint;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.sdb.StoreException;
import dev.sdb.schema.Column;
import dev.sdb.schema.ColumnType;
import dev.sdb.schema.Index;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import dev.sdb.schema.SchemaException;
import dev.sdb.schema.UniqueKey;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jooq.Constraint;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * Creates the tables, keys and indexes of a schema (if they do not exist) and migrates existing
 * tables forward: a column the schema has and the table lacks is added with its default; a string
 * column declared longer than the table's is widened; a column declared nullable, or no longer
 * declared at all, loses its NOT NULL, so that the flushes of the new release can write their
 * rows. Nothing is ever dropped or narrowed; a NOT NULL column without a default cannot be added
 * to a table, and SQLite cannot drop a NOT NULL: both are errors at open, not at the first flush.
 */
final class SchemaDdl {
  private final DSLContext ctx;
  private final Dialect dialect;
  /** Whether the database keeps table names in one case (set per connection in createOrMigrate). */
  private boolean foldsTableNames;

  SchemaDdl(DSLContext ctx, Dialect dialect) {
    this.ctx = ctx;
    this.dialect = dialect;
  }

  void createOrMigrate(Connection c, Schema schema) throws SQLException {
    requireDistinctIndexNames(schema);
    foldsTableNames = foldsTableNames(c);
    List<Query> ddl = new ArrayList<>();
    ddl.add(ctx.createTableIfNotExists(SystemTables.BLOCK)
        .columns(SystemTables.HEIGHT, SystemTables.ID, SystemTables.PREV_ID,
            SystemTables.TIMESTAMP, SystemTables.FIELDS)
        .constraints(constraint("pk_sdb_block").primaryKey(SystemTables.HEIGHT),
            constraint("uk_sdb_block_id").unique(SystemTables.ID)));
    ddl.add(ctx.createTableIfNotExists(SystemTables.CHANGE_SET)
        .columns(SystemTables.HEIGHT, SystemTables.DELTAS)
        .constraints(constraint("pk_sdb_change_set").primaryKey(SystemTables.HEIGHT)));
    for (ModelSchema m : schema.models()) {
      Map<String, ExistingColumn> existing = existingColumns(c, m.table());
      if (existing.isEmpty()) {
        ddl.add(createTable(m));
      } else {
        ddl.addAll(addMissingColumns(m, existing.keySet()));
        ddl.addAll(migrateExistingColumns(c, m, existing));
        ddl.addAll(addMissingUniqueKeys(c, m));
      }
      for (Index ix : m.indexes()) {
        ddl.add(ctx.createIndexIfNotExists(name(indexName("ix", m, ix.name())))
            .on(table(name(m.table())), ix.columns().stream().map(this::field).toList()));
      }
    }
    try (Statement st = c.createStatement()) {
      for (Query q : ddl) {
        try {
          st.execute(ctx.renderInlined(q));
        } catch (SQLException e) {
          throw new SQLException("creating or migrating the schema failed at: "
              + ctx.renderInlined(q), e);
        }
      }
      if (dialect == Dialect.MARIADB) {
        List<String> tables = new ArrayList<>(List.of(SystemTables.BLOCK.getName(),
            SystemTables.CHANGE_SET.getName()));
        schema.models().forEach(m -> tables.add(m.table()));
        requireBinaryText(st, tables);
      }
    }
  }

  /**
   * MariaDB's collation; text compares there as it does in SDB's memory and on the other
   * databases: byte by byte, so case and trailing spaces count ('abc', 'ABC' and 'abc ' are
   * three keys). With the server's usual default (utf8mb4_general_ci, or latin1 on some
   * installations) they would collide in a primary or unique key, and no flush could write them.
   */
  static final String MARIADB_COLLATION = "utf8mb4_nopad_bin";

  /** Converts SDB's tables that do not have {@link #MARIADB_COLLATION} yet (once, at open). */
  private void requireBinaryText(Statement st, List<String> tables) throws SQLException {
    List<String> convert = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT TABLE_NAME, TABLE_COLLATION FROM "
        + "information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")) {
      while (rs.next()) {
        // (lower_case_table_names=1 keeps table Vote as vote)
        String table = rs.getString(1);
        if (tables.stream().anyMatch(t -> sameTable(t, table))
            && !MARIADB_COLLATION.equals(rs.getString(2))) {
          convert.add(rs.getString(1));
        }
      }
    }
    for (String t : convert) {
      st.execute("ALTER TABLE `" + t.replace("`", "``") + "` CONVERT TO CHARACTER SET utf8mb4 "
          + "COLLATE " + MARIADB_COLLATION);
    }
  }

  private Query createTable(ModelSchema m) {
    List<Constraint> constraints = new ArrayList<>();
    constraints.add(constraint(indexName("pk", m, "key"))
        .primaryKey(m.primaryKey().stream().map(this::field).toList()));
    for (UniqueKey uk : m.uniqueKeys()) {
      constraints.add(constraint(indexName("uk", m, uk.name()))
          .unique(uk.columns().stream().map(this::field).toList()));
    }
    return ctx.createTableIfNotExists(table(name(m.table())))
        .columns(m.columns().stream().map(this::field).toList())
        .constraints(constraints);
  }

  private List<Query> addMissingColumns(ModelSchema m, Set<String> existing) {
    List<Query> queries = new ArrayList<>();
    for (Column col : m.columns()) {
      if (existing.contains(columnKey(col.name()))) {
        continue;
      }
      if (!col.nullable() && !col.hasDefault()) {
        throw new StoreException("migration of " + m.name() + " needs column '" + col.name()
            + "', which is NOT NULL without a default; declare a default or make it nullable");
      }
      @SuppressWarnings("unchecked")
      DataType<Object> type = (DataType<Object>) dialect.type(col);
      if (col.hasDefault()) {
        type = type.defaultValue(DSL.inline(col.defaultValue(), type));
      }
      queries.add(ctx.alterTable(table(name(m.table())))
          .addColumn(DSL.field(name(col.name()), type)));
    }
    return queries;
  }

  /**
   * A unique key the schema has and the table lacks (declared in a later release) becomes a
   * unique index. If rows already break it, the start fails and says which key.
   */
  private List<Query> addMissingUniqueKeys(Connection c, ModelSchema m) throws SQLException {
    Set<List<String>> present = new HashSet<>();
    Map<String, TreeMap<Integer, String>> byIndex = new HashMap<>();
    DatabaseMetaData meta = c.getMetaData();
    try (ResultSet rs = meta.getIndexInfo(c.getCatalog(), c.getSchema(), m.table(), true, true)) {
      while (rs.next()) {
        String index = rs.getString("INDEX_NAME");
        String column = rs.getString("COLUMN_NAME");
        // (sqlite-jdbc lists plain indexes too, whatever the unique flag asks: skip them here)
        if (index != null && column != null && !rs.getBoolean("NON_UNIQUE")
            && sameTable(m.table(), rs.getString("TABLE_NAME"))) {
          byIndex.computeIfAbsent(index, k -> new TreeMap<>())
              .put((int) rs.getShort("ORDINAL_POSITION"), columnKey(column));
        }
      }
    }
    byIndex.values().forEach(columns -> present.add(List.copyOf(columns.values())));
    List<Query> queries = new ArrayList<>();
    for (UniqueKey uk : m.uniqueKeys()) {
      List<String> columns = uk.columns().stream().map(col -> columnKey(col.name())).toList();
      if (!present.contains(columns)) {
        queries.add(ctx.createUniqueIndexIfNotExists(name(indexName("uk", m, uk.name())))
            .on(table(name(m.table())), uk.columns().stream().map(this::field).toList()));
      }
    }
    return queries;
  }

  /** A column as the database has it: its name, its type's name, its size, NULL, its default. */
  private record ExistingColumn(String name, String typeName, int size, boolean nullable,
      boolean hasDefault) {

    boolean varchar() {
      return typeName.equalsIgnoreCase("varchar");
    }
  }

  /**
   * SQLite compares table names without regard to case; MariaDB does with {@code
   * lower_case_table_names} 1 or 2 (where table Vote is kept as vote), and otherwise keeps Vote and
   * vote apart, as PostgreSQL does with quoted names.
   */
  private boolean foldsTableNames(Connection c) throws SQLException {
    return switch (dialect) {
      case SQLITE -> true;
      case POSTGRES -> false;
      case MARIADB -> {
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT @@lower_case_table_names")) {
          yield rs.next() && rs.getInt(1) != 0;
        }
      }
    };
  }

  private boolean sameTable(String declared, @Nullable String found) {
    return foldsTableNames ? declared.equalsIgnoreCase(found) : declared.equals(found);
  }

  /**
   * How a column name is compared with the database's: SQLite and MariaDB compare column names
   * without regard to case (qty and Qty are one column there), PostgreSQL compares quoted names
   * exactly.
   */
  private String columnKey(String name) {
    return dialect == Dialect.POSTGRES ? name : name.toLowerCase(Locale.ROOT);
  }

  /** The property of {@code m} that names the database's column {@code name}, or null. */
  private @Nullable Column declared(ModelSchema m, String name) {
    for (Column col : m.columns()) {
      if (columnKey(col.name()).equals(columnKey(name))) {
        return col;
      }
    }
    return null;
  }

  /** The table's columns by {@link #columnKey}. */
  private Map<String, ExistingColumn> existingColumns(Connection c, String tableName)
      throws SQLException {
    Map<String, ExistingColumn> columns = new HashMap<>();
    DatabaseMetaData meta = c.getMetaData();
    try (ResultSet rs = meta.getColumns(c.getCatalog(), c.getSchema(), tableName, null)) {
      while (rs.next()) {
        // The name is a pattern, where '_' stands for any character: keep only this table (its
        // name in another case on MariaDB with lower_case_table_names=1; PostgreSQL matches case).
        if (sameTable(tableName, rs.getString("TABLE_NAME"))) {
          columns.put(columnKey(rs.getString("COLUMN_NAME")), new ExistingColumn(
              rs.getString("COLUMN_NAME"),
              String.valueOf(rs.getString("TYPE_NAME")), rs.getInt("COLUMN_SIZE"),
              rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
              rs.getString("COLUMN_DEF") != null));
        }
      }
    }
    return columns;
  }

  /**
   * What a new release's flushes need of the columns the table has: a string column declared
   * longer than the table's is widened (SQLite does not enforce lengths); a column declared
   * nullable, or no longer declared at all and without a default, loses its NOT NULL (its values
   * stay). A column of a type that cannot hold what the property is declared as now is refused;
   * narrowing is left alone: memory enforces the declared length, and the rows keep what they
   * hold.
   */
  private List<Query> migrateExistingColumns(Connection c, ModelSchema m,
      Map<String, ExistingColumn> existing) throws SQLException {
    List<Query> queries = new ArrayList<>();
    for (ExistingColumn old : existing.values()) {
      Column col = declared(m, old.name());
      if (col != null && !dialect.holds(col, old.typeName(), old.size())) {
        // a flush would fail on the first value the column cannot take, or keep it changed
        throw new StoreException("migration of " + m.name() + ": column '" + col.name()
            + "' of table " + m.table() + " is " + old.typeName() + ", which cannot hold the "
            + col.type() + " that " + m.name() + "." + col.name() + " is declared as; SDB does "
            + "not change a column's type: declare the property as before, or change the "
            + "column yourself (SDB creates it as "
            + dialect.type(col).getCastTypeName(ctx.configuration()) + ")");
      }
      // the length a string column is widened to, or 0
      int widenTo = col != null && col.type() == ColumnType.STRING && old.varchar()
          && dialect != Dialect.SQLITE && col.maxLength() > old.size() ? col.maxLength() : 0;
      boolean dropNotNull = !old.nullable()
          && (col == null ? !old.hasDefault() : col.nullable());
      if (widenTo == 0 && !dropNotNull) {
        continue;
      }
      if (dialect == Dialect.SQLITE) {
        throw new StoreException("migration of " + m.name() + ": column '" + old.name()
            + "' of table " + m.table() + " is NOT NULL"
            + (col == null ? " without a default and no longer a property of " + m.name()
                : " and now declared nullable")
            + ", so new rows could not be written, and SQLite cannot drop a NOT NULL; keep the "
            + "property NOT NULL as before, or rebuild the table without the constraint");
      }
      queries.add(dialect == Dialect.POSTGRES
          ? postgresAlter(m, old.name(), widenTo, dropNotNull)
          : mariadbModify(c, m, old.name(), widenTo, old.nullable() || dropNotNull));
    }
    return queries;
  }

  private static Query postgresAlter(ModelSchema m, String column, int widenTo,
      boolean dropNotNull) {
    List<String> actions = new ArrayList<>();
    if (widenTo > 0) {
      actions.add("ALTER COLUMN {0} TYPE varchar(" + widenTo + ")");
    }
    if (dropNotNull) {
      actions.add("ALTER COLUMN {0} DROP NOT NULL");
    }
    return DSL.query("ALTER TABLE {1} " + String.join(", ", actions), name(column),
        name(m.table()));
  }

  /**
   * MariaDB restates a column whole: its type as the table has it (or the wider string), whether
   * it takes NULL, and the default it had.
   */
  private static Query mariadbModify(Connection c, ModelSchema m, String column, int widenTo,
      boolean nullable) throws SQLException {
    String type;
    String defaultValue;
    try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_TYPE, COLUMN_DEFAULT FROM "
        + "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND "
        + "COLUMN_NAME = ?")) {
      ps.setString(1, m.table());
      ps.setString(2, column);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("column " + column + " of table " + m.table() + " vanished");
        }
        type = rs.getString(1);
        defaultValue = rs.getString(2);
      }
    }
    String sql = "ALTER TABLE {0} MODIFY {1} " + (widenTo > 0 ? "varchar(" + widenTo + ")" : type)
        + (nullable ? " NULL" : " NOT NULL")
        + (defaultValue == null || defaultValue.equals("NULL") ? "" : " DEFAULT " + defaultValue);
    return DSL.query(sql, name(m.table()), name(column));
  }

  private Field<?> field(Column c) {
    return DSL.field(name(c.name()), dialect.type(c));
  }

  /**
   * Index and constraint names are made of the table and the columns joined by '_', so two of
   * them can come out alike (table vote, index on delegate_id; table vote_delegate, index on id);
   * "IF NOT EXISTS" would then skip the second one without a word, and a unique key would go
   * unenforced. Compared without regard to case, as SQLite and MariaDB compare them.
   */
  private static void requireDistinctIndexNames(Schema schema) {
    Map<String, String> owners = new HashMap<>();
    for (ModelSchema m : schema.models()) {
      List<String> names = new ArrayList<>();
      names.add(indexName("pk", m, "key"));
      m.uniqueKeys().forEach(uk -> names.add(indexName("uk", m, uk.name())));
      m.indexes().forEach(ix -> names.add(indexName("ix", m, ix.name())));
      for (String n : names) {
        String other = owners.putIfAbsent(n.toLowerCase(Locale.ROOT), m.name());
        if (other != null) {
          throw new SchemaException("models " + other + " and " + m.name() + " would both have "
              + "an index or key named " + n + "; give one of them another table(...) name");
        }
      }
    }
  }

  /** Constraint and index names are unique per database on PostgreSQL; prefix them with the table. */
  private static String indexName(String prefix, ModelSchema m, String name) {
    String full = prefix + "_" + m.table() + "_" + name;
    return full.length() <= 60 ? full : full.substring(0, 51) + "_" + Integer.toHexString(
        full.hashCode());
  }

}
