package dev.sdb.examples.node;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** What the node has done so far. Written and read by the writer thread only. */
final class Totals {
  long blocks;
  long transfers;
  long userNames;
  long failedContracts;
  long forks;
  long blocksUndone;
  private final Map<String, Long> failures = new TreeMap<>();

  void failed(String reason) {
    failedContracts++;
    failures.merge(reason, 1L, Long::sum);
  }

  void forked(int depth) {
    forks++;
    blocksUndone += depth;
  }

  /** Committed contracts of either kind. */
  long transactions() {
    return transfers + userNames;
  }

  /** Failed contracts by reason, in name order. */
  Map<String, Long> failures() {
    return Collections.unmodifiableMap(new TreeMap<>(failures));
  }
}
