package dev.sdb;

import dev.sdb.sql.TestDatabases;
import dev.sdb.store.StateStore;

/** The engine's cache suite on Postgres: duplicates that exist only in the database, pinning. */
class PostgresCacheTest extends CacheTest {
  @Override
  protected StateStore newStore() {
    return TestDatabases.POSTGRES.freshStore();
  }
}
