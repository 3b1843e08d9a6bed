package dev.sdb;

import dev.sdb.sql.TestDatabases;

/** The engine's rollback suite on PostgreSQL. */
class PostgresRollbackTest extends SqliteRollbackTest {
  @Override
  TestDatabases database() {
    return TestDatabases.POSTGRES;
  }
}
