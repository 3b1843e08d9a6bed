package dev.sdb;

import java.time.Duration;
import java.util.Objects;

/**
 * The engine's settings, validated and immutable once the engine opens.
 *
 * @param flushInterval how often the background flusher writes queued blocks (default 10 s)
 * @param maxPendingBlocks how many committed blocks may wait for the store before {@code
 *     commitBlock} flushes itself (default 1,000)
 * @param backgroundFlush whether a background thread flushes every {@code flushInterval}; when
 *     false, flushes happen only on {@code flush()}, {@code close()} and at the bound
 */
public record SdbConfig(Duration flushInterval, int maxPendingBlocks, boolean backgroundFlush) {
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_PENDING_BLOCKS = 1_000;

  public SdbConfig {
    Objects.requireNonNull(flushInterval, "flushInterval");
    if (flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException("flushInterval must be positive: " + flushInterval);
    }
    if (maxPendingBlocks < 1) {
      throw new IllegalArgumentException("maxPendingBlocks must be positive: " + maxPendingBlocks);
    }
  }

  public static SdbConfig defaults() {
    return new SdbConfig(DEFAULT_FLUSH_INTERVAL, DEFAULT_MAX_PENDING_BLOCKS, true);
  }

  public SdbConfig withFlushInterval(Duration d) {
    return new SdbConfig(d, maxPendingBlocks, backgroundFlush);
  }

  public SdbConfig withMaxPendingBlocks(int n) {
    return new SdbConfig(flushInterval, n, backgroundFlush);
  }

  public SdbConfig withBackgroundFlush(boolean on) {
    return new SdbConfig(flushInterval, maxPendingBlocks, on);
  }
}
