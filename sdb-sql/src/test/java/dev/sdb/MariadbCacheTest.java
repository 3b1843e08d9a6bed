package dev.sdb;

import dev.sdb.sql.TestDatabases;
import dev.sdb.store.StateStore;

/** The engine's cache suite on Mariadb: duplicates that exist only in the database, pinning. */
class MariadbCacheTest extends CacheTest {
  @Override
  protected StateStore newStore() {
    return TestDatabases.MARIADB.freshStore();
  }
}
