package dev.sdb.examples.node;

import dev.sdb.SdbStats;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The one progress line, rewritten in place (carriage return) at most every {@value #EVERY_MS}
 * ms: height, flushed height and pending blocks, committed transactions per second since the last
 * line, cache hit rate and forks. It stays within {@value #WIDTH} characters, because a line that
 * wraps in the terminal cannot be rewritten by a carriage return.
 */
final class Progress {
  static final long EVERY_MS = 500;
  static final int WIDTH = 79;

  private final PrintStream out;
  private long lastNanos;
  private long lastTransactions;
  private int lastLength;

  Progress(PrintStream out, Totals totals) {
    this.out = out;
    this.lastNanos = System.nanoTime();
    this.lastTransactions = totals.transactions();
  }

  /** Rewrites the line if {@value #EVERY_MS} ms have passed since the last one. */
  void update(SdbStats stats, Totals totals) {
    long now = System.nanoTime();
    long elapsed = now - lastNanos;
    if (elapsed < EVERY_MS * 1_000_000) {
      return;
    }
    double perSecond = (totals.transactions() - lastTransactions) * 1e9 / elapsed;
    lastNanos = now;
    lastTransactions = totals.transactions();
    String line = String.format(Locale.ROOT,
        "height %d  flushed %d (%d pending)  %,.0f tx/s  cache %.1f%%  forks %d",
        stats.lastHeight(), stats.flushedHeight(), stats.pendingBlocks(), perSecond,
        stats.cacheHitRate() * 100, totals.forks);
    if (line.length() > WIDTH) {
      line = line.substring(0, WIDTH);
    }
    // Spaces wipe what is left of a longer previous line.
    out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
    out.flush();
    lastLength = line.length();
  }

  /** Ends the line, so that what follows starts on a fresh one. */
  void finish() {
    if (lastLength > 0) {
      out.println();
      lastLength = 0;
    }
  }
}
