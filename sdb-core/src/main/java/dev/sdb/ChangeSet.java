package dev.sdb;

import java.util.List;

/**
 * The changes of one committed block: its header and its deltas in the order they happened.
 * Immutable, so it can be handed to the flusher, listeners and the log on other threads.
 */
public record ChangeSet(BlockHeader block, List<Delta> deltas) {
  public ChangeSet {
    deltas = List.copyOf(deltas);
  }

  public long height() {
    return block.height();
  }

  /** The deltas as the public JSON array. */
  public String deltasJson() {
    return ChangeSetJson.deltasToJson(deltas);
  }
}
