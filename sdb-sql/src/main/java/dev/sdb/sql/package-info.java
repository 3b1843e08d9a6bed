/**
 * SDB on a relational database: {@link dev.sdb.sql.SqlStateStore} (SQLite by default, PostgreSQL,
 * MariaDB; jOOQ SQL, HikariCP pools) and {@link dev.sdb.sql.SdbReader}, the thread-safe reader for
 * HTTP handlers with its {@link dev.sdb.sql.Query} condition language.
 */
@NullMarked
package dev.sdb.sql;

import org.jspecify.annotations.NullMarked;
