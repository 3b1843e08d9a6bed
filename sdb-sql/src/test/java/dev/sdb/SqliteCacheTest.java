package dev.sdb;

import dev.sdb.sql.TestDatabases;
import dev.sdb.store.StateStore;

/** The engine's cache suite on Sqlite: duplicates that exist only in the database, pinning. */
class SqliteCacheTest extends CacheTest {
  @Override
  protected StateStore newStore() {
    return TestDatabases.SQLITE.freshStore();
  }
}
