package dev.sdb;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.UniqueKey;
import dev.sdb.store.StateStore;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A normal model: a bounded cache over the store, plus the pinned entities.
 *
 * <p><b>Pinning.</b> An entity changed in a block the store does not have yet lives in {@code
 * pinned} (a deleted one as a tombstone) and is never evicted; the Caffeine cache, bounded by
 * {@code maxCached}, holds only clean rows, equal to the store's. A lookup asks pinned, then the
 * cache, then the store, so eviction can neither lose a change nor serve a stale row, and a deleted
 * entity is never resurrected from the store.
 *
 * <p><b>Filters.</b> A {@link KeyFilter} per primary and unique key holds every value the store may
 * have (loaded at start-up, extended by every write), so the common case of a create with a new key
 * costs no database round trip: only a "maybe" asks the store.
 *
 * <p><b>Unique keys.</b> {@code pinnedUnique} indexes the unique values of pinned rows. A unique
 * lookup asks it first and then the store; a store row whose entity is pinned is stale (the pinned
 * row no longer holds that value, or the index would have found it) and is ignored.
 */
final class CachedTable implements Table {
  private final ModelSchema model;
  private final StateStore store;
  private final Cache<Object, Object[]> clean;
  private final Map<Object, Pinned> pinned = new HashMap<>();
  private final UniqueIndex pinnedUnique;
  private final KeyFilter keyFilter;
  private final Map<UniqueKey, KeyFilter> uniqueFilters = new HashMap<>();
  private long hits;
  private long misses;

  /** A pinned entity: its latest row ({@code null} = deleted) and the block of its last change. */
  private static final class Pinned {
    final Object @Nullable [] row;
    long height;

    Pinned(Object @Nullable [] row, long height) {
      this.row = row;
      this.height = height;
    }
  }

  CachedTable(ModelSchema model, StateStore store) {
    this.model = model;
    this.store = store;
    this.clean = Caffeine.newBuilder().maximumSize(model.maxCached()).executor(Runnable::run).build();
    this.pinnedUnique = new UniqueIndex(model);
    long expectedKeys = filterKeys(store.estimatedRows(model));
    this.keyFilter = new KeyFilter(expectedKeys);
    store.scanKeys(model, model.primaryKey(), keyFilter::add);
    for (UniqueKey uk : model.uniqueKeys()) {
      KeyFilter f = new KeyFilter(expectedKeys);
      store.scanKeys(model, uk.columns(), f::add);
      uniqueFilters.put(uk, f);
    }
  }

  /**
   * 64k keys (80 KB) for a small or new table: a layer that stays in the CPU's cache, since every
   * create probes it at a random place (a 1M-key first layer, 1.25 MB, made W1's transfers a
   * fifth slower in JMH; docs/benchmarks.md, twelfth round). A table that outgrows it gets a 1M-key
   * layer next (see {@link KeyFilter}).
   */
  private static final long INITIAL_FILTER_KEYS = 1 << 16;

  /**
   * A filter's first layer holds the store's rows and a quarter more, so that a node restarting
   * on a large table probes one layer for every new key, not one per doubling since 64k.
   */
  static long filterKeys(long estimatedRows) {
    return Math.max(INITIAL_FILTER_KEYS, estimatedRows + estimatedRows / 4);
  }

  @Override
  public ModelSchema model() {
    return model;
  }

  @Override
  public Object @Nullable [] get(Object key) {
    Pinned p = pinned.get(key);
    if (p != null) {
      hits++;
      return p.row;
    }
    Object[] row = clean.getIfPresent(key);
    if (row != null || !keyFilter.mightContain(key)) {
      hits++;
      return row;
    }
    misses++;
    row = store.find(model, model.primaryKey(), ModelSchema.keyValues(key, model.primaryKey().size()));
    if (row != null) {
      clean.put(key, row);
    }
    return row;
  }

  /** The filter first: it knows every key that exists, pinned or cached or stored. */
  @Override
  public boolean exists(Object key) {
    if (!keyFilter.mightContain(key)) {
      hits++;
      return false;
    }
    return get(key) != null;
  }

  @Override
  public @Nullable Object keyOfUnique(UniqueKey uniqueKey, Object value) {
    Object key = pinnedUnique.keyOf(uniqueKey, value);
    if (key != null || !uniqueFilters.get(uniqueKey).mightContain(value)) {
      return key;
    }
    Object[] row = store.find(model, uniqueKey.columns(),
        ModelSchema.keyValues(value, uniqueKey.columns().size()));
    if (row == null) {
      return null;
    }
    Object storeKey = model.keyOf(row);
    if (pinned.containsKey(storeKey)) {
      return null;
    }
    clean.put(storeKey, row);
    return storeKey;
  }

  @Override
  public void put(Object key, Object @Nullable [] before, Object @Nullable [] after, long height) {
    if (after != null) {
      if (before == null) {
        keyFilter.add(key);
      }
      for (Map.Entry<UniqueKey, KeyFilter> f : uniqueFilters.entrySet()) {
        List<dev.sdb.schema.Column> columns = f.getKey().columns();
        Object value = ModelSchema.valueOf(after, columns);
        if (value != null && (before == null || !value.equals(ModelSchema.valueOf(before, columns)))) {
          f.getValue().add(value);
        }
      }
    }
    Pinned old = pinned.put(key, new Pinned(after, height));
    if (old == null && before != null) { // an entity that did not exist is never cached clean
      clean.invalidate(key);
    }
    if (!pinnedUnique.isEmpty()) {
      pinnedUnique.replace(key, old == null ? null : old.row, after);
    }
  }

  /**
   * Unpins the entities the store now has. Their rows move to the clean cache, but only the
   * newest {@code maxCached} of them: after a large flush the rest would only be evicted again,
   * one by one, on the writer's thread (a million of them cost the writer half a second).
   */
  @Override
  public void flushedTo(long height) {
    long cacheFrom = oldestHeightToCache(height);
    for (Iterator<Map.Entry<Object, Pinned>> it = pinned.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Object, Pinned> e = it.next();
      Pinned p = e.getValue();
      if (p.height <= height) {
        it.remove();
        if (p.row != null) {
          pinnedUnique.remove(e.getKey(), p.row);
          if (p.height >= cacheFrom) {
            clean.put(e.getKey(), p.row);
          }
        }
      }
    }
  }

  /** The lowest height whose unpinned rows, with all newer ones, still fit in the cache. */
  private long oldestHeightToCache(long flushed) {
    long rows = 0;
    for (Pinned p : pinned.values()) {
      if (p.height <= flushed && p.row != null) {
        rows++;
      }
    }
    if (rows <= model.maxCached()) {
      return Long.MIN_VALUE;
    }
    TreeMap<Long, Integer> rowsByHeight = new TreeMap<>();
    for (Pinned p : pinned.values()) {
      if (p.height <= flushed && p.row != null) {
        rowsByHeight.merge(p.height, 1, Integer::sum);
      }
    }
    long kept = 0;
    for (Map.Entry<Long, Integer> e : rowsByHeight.descendingMap().entrySet()) {
      kept += e.getValue();
      if (kept > model.maxCached()) {
        return e.getKey() + 1;
      }
    }
    return Long.MIN_VALUE;
  }

  @Override
  public void rolledBackTo(long height) {
    for (Pinned p : pinned.values()) {
      p.height = Math.min(p.height, height);
    }
  }

  @Override
  public int pinnedCount() {
    return pinned.size();
  }

  @Override
  public long size() {
    return pinned.size() + clean.estimatedSize();
  }

  long hits() {
    return hits;
  }

  /** For tests: the primary-key filter's layers. */
  int filterLayers() {
    return keyFilter.layers();
  }

  long misses() {
    return misses;
  }

  /** For invariant checks in tests: no key is both pinned and cached clean. */
  boolean cleanAndPinnedDisjoint() {
    for (Object k : pinned.keySet()) {
      if (clean.getIfPresent(k) != null) {
        return false;
      }
    }
    return true;
  }
}
