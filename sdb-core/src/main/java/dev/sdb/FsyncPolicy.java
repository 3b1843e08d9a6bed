package dev.sdb;

import java.time.Duration;
import java.util.Objects;

/**
 * When the write-ahead log forces its writes to the disk.
 *
 * <table>
 *   <caption>What survives</caption>
 *   <tr><th>policy</th><th>process crash</th><th>power loss / OS crash</th></tr>
 *   <tr><td>{@link #everyBlock()} (default)</td><td>every committed block</td>
 *       <td>every committed block</td></tr>
 *   <tr><td>{@link #every(Duration)}</td><td>every committed block</td>
 *       <td>all but the blocks of the last interval</td></tr>
 *   <tr><td>{@link #never()}</td><td>every committed block</td>
 *       <td>may lose the last blocks (whatever the OS had not written)</td></tr>
 * </table>
 */
public final class FsyncPolicy {
  private final Duration interval;

  private FsyncPolicy(Duration interval) {
    this.interval = interval;
  }

  /** {@code commitBlock} returns after the block is on the disk. */
  public static FsyncPolicy everyBlock() {
    return new FsyncPolicy(Duration.ZERO);
  }

  /**
   * Group commit: a background thread forces the log every {@code interval}; {@code commitBlock}
   * returns once the block is written to the OS.
   */
  public static FsyncPolicy every(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("fsync interval must be positive: " + interval);
    }
    return new FsyncPolicy(interval);
  }

  /** Never force: the OS writes when it likes. May lose the last blocks on power loss. */
  public static FsyncPolicy never() {
    return new FsyncPolicy(Duration.ofMillis(-1));
  }

  boolean isEveryBlock() {
    return interval.isZero();
  }

  boolean isNever() {
    return interval.isNegative();
  }

  Duration interval() {
    return interval;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FsyncPolicy p && interval.equals(p.interval);
  }

  @Override
  public int hashCode() {
    return interval.hashCode();
  }

  @Override
  public String toString() {
    return isEveryBlock() ? "everyBlock" : isNever() ? "never" : "every(" + interval + ")";
  }
}
