package dev.sdb.sql;

import dev.sdb.ChangeSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The net changes of queued blocks, folded on the flusher's thread as each block is prepared, so
 * that a flush starts writing rows at once instead of first walking every delta of every block.
 *
 * <p>A flush takes the fold for its own blocks. The fold and the flush agree on the blocks they
 * share at the start (the very same change sets); blocks the fold holds beyond them (rolled back
 * while queued, or folded after the flush took its batch) are unfolded with their inverse deltas,
 * newest first, which is exact because the fold is always one unbroken run of heights; blocks
 * the fold has not seen yet are folded then. When that is more work than folding the
 * flush's blocks from scratch, the fold is discarded instead. Thread-safe.
 */
final class FoldedNetChanges {
  private NetChanges net = new NetChanges();
  private final List<ChangeSet> folded = new ArrayList<>();

  /**
   * Folds the next queued block. The fold stays one unbroken run of heights: a block that does not
   * follow the last one (prepared out of order by a scheduler with several threads, after a block
   * that was not folded, or after a rollback) starts a new fold, and a fold that failed half-way
   * is dropped. A block rolled back and replaced at the same height is told apart by identity in
   * {@link #take}.
   */
  synchronized void fold(ChangeSet block) {
    if (!folded.isEmpty() && block.height() != folded.get(folded.size() - 1).height() + 1) {
      clear();
    }
    try {
      net.addAll(block);
    } catch (RuntimeException e) {
      clear();
      throw e;
    }
    folded.add(block);
  }

  /** The net changes of exactly these blocks; what was folded so far is handed over. */
  NetChanges take(List<ChangeSet> blocks) {
    NetChanges result;
    List<ChangeSet> unfold;
    int common = 0;
    synchronized (this) {
      while (common < folded.size() && common < blocks.size()
          && folded.get(common) == blocks.get(common)) {
        common++;
      }
      List<ChangeSet> beyond = folded.subList(common, folded.size());
      if (deltas(beyond) + deltas(blocks.subList(common, blocks.size())) < deltas(blocks)) {
        result = net;
        unfold = List.copyOf(beyond);
      } else {
        result = new NetChanges();
        unfold = List.of();
        common = 0;
      }
      clear();
    }
    for (int i = unfold.size() - 1; i >= 0; i--) {
      result.undo(unfold.get(i));
    }
    for (int i = common; i < blocks.size(); i++) {
      result.addAll(blocks.get(i));
    }
    return result;
  }

  synchronized void clear() {
    net = new NetChanges();
    folded.clear();
  }

  private static long deltas(List<ChangeSet> blocks) {
    long n = 0;
    for (ChangeSet b : blocks) {
      n += b.deltas().size();
    }
    return n;
  }
}
