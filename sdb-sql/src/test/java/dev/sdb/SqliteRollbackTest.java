package dev.sdb;

import dev.sdb.sql.SqlStateStore;
import dev.sdb.sql.TestDatabases;
import dev.sdb.store.StateStore;
import java.util.HashMap;
import java.util.Map;

/** The engine's rollback suite on SQLite. */
class SqliteRollbackTest extends RollbackTest {
  private final Map<StateStore, String> urls = new HashMap<>();

  TestDatabases database() {
    return TestDatabases.SQLITE;
  }

  @Override
  protected StateStore newStore() {
    String url = database().freshUrl();
    SqlStateStore store = SqlStateStore.open(url);
    urls.put(store, url);
    return store;
  }

  @Override
  protected StateStore reopen(StateStore closed) {
    return SqlStateStore.open(urls.get(closed));
  }
}
