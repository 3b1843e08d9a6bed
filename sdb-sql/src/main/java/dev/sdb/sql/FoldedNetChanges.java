package dev.sdb.sql;

import dev.sdb.ChangeSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The net changes of queued blocks, folded on the flusher's thread as each block is prepared, so
 * that a flush starts writing rows at once instead of first walking every delta of every block.
 *
 * <p>What was folded is used only for the very change sets it was folded from, in order: a flush
 * whose blocks begin with them completes the fold with the blocks that came too late; anything
 * else (a block rolled back and replaced, a fold that ran ahead of the flush) is discarded and the
 * flush folds its blocks itself. Thread-safe.
 */
final class FoldedNetChanges {
  private NetChanges net = new NetChanges();
  private final List<ChangeSet> folded = new ArrayList<>();

  /** Folds the next queued block; a block that does not follow the last one starts afresh. */
  synchronized void fold(ChangeSet block) {
    if (!folded.isEmpty() && block.height() != folded.get(folded.size() - 1).height() + 1) {
      clear();
    }
    net.addAll(block);
    folded.add(block);
  }

  /** The net changes of exactly these blocks; what was folded so far is handed over. */
  NetChanges take(List<ChangeSet> blocks) {
    NetChanges result;
    int done = 0;
    synchronized (this) {
      while (done < folded.size() && done < blocks.size() && folded.get(done) == blocks.get(done)) {
        done++;
      }
      if (done == folded.size()) {
        result = net;
      } else {
        result = new NetChanges();
        done = 0;
      }
      clear();
    }
    for (int i = done; i < blocks.size(); i++) {
      result.addAll(blocks.get(i));
    }
    return result;
  }

  synchronized void clear() {
    net = new NetChanges();
    folded.clear();
  }
}
