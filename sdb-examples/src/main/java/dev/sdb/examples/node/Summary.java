package dev.sdb.examples.node;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a run of the demo node did, printed when it stops.
 *
 * @param blocks blocks committed in this run (genesis not included), forks' undone ones included
 * @param transfers transfer contracts committed
 * @param userNames setUserName contracts committed
 * @param failedContracts contracts that threw and were rolled back
 * @param failures failed contracts by reason
 * @param forks how many times blocks were rolled back to switch to another chain
 * @param blocksUndone blocks those forks rolled back
 * @param finalHeight the last committed block
 * @param flushedHeight the last block in the database after the final flush
 */
record Summary(long blocks, long transfers, long userNames, long failedContracts,
    Map<String, Long> failures, long forks, long blocksUndone, long finalHeight,
    long flushedHeight, Duration elapsed) {

  static Summary of(Totals t, long finalHeight, long flushedHeight, Duration elapsed) {
    return new Summary(t.blocks, t.transfers, t.userNames, t.failedContracts, t.failures(),
        t.forks, t.blocksUndone, finalHeight, flushedHeight, elapsed);
  }

  String format() {
    double seconds = elapsed.toMillis() / 1000.0;
    String reasons = failures.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%n%23s%,d %s", "", e.getValue(), e.getKey()))
        .collect(Collectors.joining());
    return String.format(Locale.ROOT, """
        SDB demo node stopped after %.1f s
          blocks committed   %,d (%,d of them undone by %,d fork%s)
          transfers          %,d (%,.0f per second)
          user names set     %,d
          failed contracts   %,d, each rolled back%s
          final height       %,d
          flushed height     %,d%s
        """, seconds, blocks, blocksUndone, forks, forks == 1 ? "" : "s", transfers,
        seconds > 0 ? transfers / seconds : 0.0, userNames, failedContracts, reasons,
        finalHeight, flushedHeight,
        flushedHeight == finalHeight ? " (every block is in the database)"
            : " (" + (finalHeight - flushedHeight) + " blocks were not flushed)");
  }
}
