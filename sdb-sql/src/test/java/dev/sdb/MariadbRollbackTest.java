package dev.sdb;

import dev.sdb.sql.TestDatabases;

/** The engine's rollback suite on MariaDB. */
class MariadbRollbackTest extends SqliteRollbackTest {
  @Override
  TestDatabases database() {
    return TestDatabases.MARIADB;
  }
}
