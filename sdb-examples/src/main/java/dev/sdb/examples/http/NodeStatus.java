package dev.sdb.examples.http;

import dev.sdb.SdbStats;

/**
 * What {@code GET /status} reports: the engine's heights as the writer last saw them. The writer
 * publishes a new value after each block (for example through a {@code volatile} field); HTTP
 * threads only read it, so they never call the single-writer engine.
 *
 * @param height the last committed block
 * @param flushedHeight the last block the database holds (what the other endpoints read)
 * @param pendingBlocks committed blocks waiting for the next flush
 * @param flushFailing whether the last flush failed (why is in the node's log, not here: the
 *     reason may name SQL and values that an HTTP client has no business seeing)
 * @param failedFlushes flushes that failed since the node started
 */
public record NodeStatus(long height, long flushedHeight, int pendingBlocks, boolean flushFailing,
    long failedFlushes) {

  /** The status before the engine has produced anything. */
  public static final NodeStatus EMPTY = new NodeStatus(-1, -1, 0, false, 0);

  public static NodeStatus of(SdbStats stats) {
    return new NodeStatus(stats.lastHeight(), stats.flushedHeight(), stats.pendingBlocks(),
        stats.lastFlushFailure() != null, stats.failedFlushes());
  }
}
