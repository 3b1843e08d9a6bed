package dev.sdb.sql;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.sdb.BlockHeader;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/**
 * The tables that belong to SDB: {@code sdb_block} (one row per flushed block: height, id,
 * previous id, timestamp, further header fields as JSON) and {@code sdb_change_set} (the block's
 * deltas in their compact form, zlib-compressed, for rollback after a restart; see {@link
 * HistoryCodec}).
 */
final class SystemTables {
  private SystemTables() {}

  static final Table<?> BLOCK = table(name("sdb_block"));
  static final Field<Long> HEIGHT = field(name("height"), SQLDataType.BIGINT.nullable(false));
  static final Field<String> ID = field(name("id"),
      SQLDataType.VARCHAR(BlockHeader.MAX_ID_LENGTH).nullable(false));
  static final Field<String> PREV_ID = field(name("prevBlockId"),
      SQLDataType.VARCHAR(BlockHeader.MAX_ID_LENGTH).nullable(true));
  static final Field<Long> TIMESTAMP = field(name("timestamp"), SQLDataType.BIGINT.nullable(false));
  static final Field<String> FIELDS = field(name("fields"), SQLDataType.CLOB.nullable(false));

  static final Table<?> CHANGE_SET = table(name("sdb_change_set"));
  /** The block's deltas: a format byte and the compressed compact form ({@link HistoryCodec}). */
  static final Field<byte[]> DELTAS = field(name("deltas"), SQLDataType.BLOB.nullable(false));
}
