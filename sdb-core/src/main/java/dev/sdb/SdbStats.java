package dev.sdb;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the engine's counters, for progress lines and metrics.
 *
 * @param pendingDeltas the deltas those blocks hold together (what {@code maxPendingDeltas} bounds)
 * @param cacheHits lookups of normal models answered from memory
 * @param cacheMisses lookups of normal models that asked the store
 * @param pinned entities held in memory because the store does not have their last change yet
 * @param flushes successful flushes since the engine opened
 * @param failedFlushes flushes that failed since the engine opened (their blocks stayed queued)
 * @param lastFlushFailure why the last flush failed, or {@code null} if it succeeded (or none ran)
 */
public record SdbStats(long lastHeight, long flushedHeight, int pendingBlocks, long pendingDeltas,
    long cacheHits,
    long cacheMisses, int pinned, long flushes, long failedFlushes,
    @Nullable String lastFlushFailure) {

  /** Hits / (hits + misses), or 1 when nothing was looked up. */
  public double cacheHitRate() {
    long total = cacheHits + cacheMisses;
    return total == 0 ? 1.0 : (double) cacheHits / total;
  }
}
