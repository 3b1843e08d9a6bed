package dev.sdb;

import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.UniqueKey;
import org.jspecify.annotations.Nullable;

/**
 * The writer's view of one model: the latest state, unflushed changes included. Rows are
 * immutable once stored; a write replaces a row, it never mutates one.
 */
sealed interface Table permits MemoryTable, CachedTable {
  ModelSchema model();

  /** The entity's current row, or {@code null} if it does not exist (or was deleted). */
  Object @Nullable [] get(Object key);

  /**
   * Whether the entity exists: {@code get(key) != null}, asked the cheapest way for a key that is
   * usually new (a create's).
   */
  default boolean exists(Object key) {
    return get(key) != null;
  }

  /** The primary key of the entity that currently holds this unique value, or {@code null}. */
  @Nullable Object keyOfUnique(UniqueKey uniqueKey, Object value);

  /**
   * Replaces the entity's row ({@code after == null} deletes it) and keeps the unique indexes in
   * step. {@code height} is the block that made the change; the row stays pinned in memory until
   * the store has that block.
   */
  void put(Object key, Object @Nullable [] before, Object @Nullable [] after, long height);

  /** The store now holds every block up to {@code height}: unpin what it has. */
  void flushedTo(long height);

  /** After a rollback to {@code height}: nothing pinned may claim a higher block. */
  void rolledBackTo(long height);

  /** Entities pinned because the store does not have their latest change yet. */
  int pinnedCount();

  /** Entities held in memory in all. */
  long size();
}
