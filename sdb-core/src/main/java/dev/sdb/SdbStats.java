package dev.sdb;

/**
 * A snapshot of the engine's counters, for progress lines and metrics.
 *
 * @param cacheHits lookups of normal models answered from memory
 * @param cacheMisses lookups of normal models that asked the store
 * @param pinned entities held in memory because the store does not have their last change yet
 */
public record SdbStats(long lastHeight, long flushedHeight, int pendingBlocks, long cacheHits,
    long cacheMisses, int pinned, long flushes) {

  /** Hits / (hits + misses), or 1 when nothing was looked up. */
  public double cacheHitRate() {
    long total = cacheHits + cacheMisses;
    return total == 0 ? 1.0 : (double) cacheHits / total;
  }
}
