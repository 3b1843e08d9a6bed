package dev.sdb;

import java.time.Duration;
import java.util.Objects;

/**
 * The engine's settings, validated and immutable once the engine opens.
 *
 * @param flushInterval how often the background flusher writes queued blocks (default 10 s)
 * @param maxPendingBlocks how many committed blocks may wait for the store before {@code
 *     commitBlock} flushes itself (default 1,000)
 * @param maxPendingDeltas how many deltas the waiting blocks may hold together before {@code
 *     commitBlock} flushes itself (default 4,000,000: a thousand blocks of a thousand transfers
 *     of four deltas each), so that a catch-up with large blocks stays bounded in memory too
 * @param backgroundFlush whether a background thread flushes every {@code flushInterval}; when
 *     false, flushes happen only on {@code flush()}, {@code close()} and at the bound
 */
public record SdbConfig(Duration flushInterval, int maxPendingBlocks, long maxPendingDeltas,
    boolean backgroundFlush) {
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_PENDING_BLOCKS = 1_000;
  public static final long DEFAULT_MAX_PENDING_DELTAS = 4_000_000;

  public SdbConfig {
    Objects.requireNonNull(flushInterval, "flushInterval");
    if (flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException("flushInterval must be positive: " + flushInterval);
    }
    if (maxPendingBlocks < 1) {
      throw new IllegalArgumentException("maxPendingBlocks must be positive: " + maxPendingBlocks);
    }
    if (maxPendingDeltas < 1) {
      throw new IllegalArgumentException("maxPendingDeltas must be positive: " + maxPendingDeltas);
    }
  }

  public static SdbConfig defaults() {
    return new SdbConfig(DEFAULT_FLUSH_INTERVAL, DEFAULT_MAX_PENDING_BLOCKS,
        DEFAULT_MAX_PENDING_DELTAS, true);
  }

  public SdbConfig withFlushInterval(Duration d) {
    return new SdbConfig(d, maxPendingBlocks, maxPendingDeltas, backgroundFlush);
  }

  public SdbConfig withMaxPendingBlocks(int n) {
    return new SdbConfig(flushInterval, n, maxPendingDeltas, backgroundFlush);
  }

  public SdbConfig withMaxPendingDeltas(long n) {
    return new SdbConfig(flushInterval, maxPendingBlocks, n, backgroundFlush);
  }

  public SdbConfig withBackgroundFlush(boolean on) {
    return new SdbConfig(flushInterval, maxPendingBlocks, maxPendingDeltas, on);
  }
}
