package dev.sdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The deltas and locks of the block in progress, with a stack of savepoints for (nested)
 * contracts. A savepoint remembers how many deltas and locks existed when it was opened; rolling
 * it back hands the deltas made since then to the caller for undo, newest first, and releases the
 * locks taken since then.
 */
final class ChangeTracker {
  private ArrayList<Delta> deltas = new ArrayList<>();
  private final Set<String> locks = new HashSet<>();
  private final ArrayList<String> lockOrder = new ArrayList<>();
  private int[] savepoints = new int[16];
  private int depth;

  void record(Delta delta) {
    deltas.add(delta);
  }

  /** @return false if the name is already locked in this block */
  boolean lock(String name) {
    if (!locks.add(name)) {
      return false;
    }
    lockOrder.add(name);
    return true;
  }

  boolean isLocked(String name) {
    return locks.contains(name);
  }

  int depth() {
    return depth;
  }

  void openSavepoint() {
    if (2 * depth + 2 > savepoints.length) {
      savepoints = Arrays.copyOf(savepoints, savepoints.length * 2);
    }
    savepoints[2 * depth] = deltas.size();
    savepoints[2 * depth + 1] = lockOrder.size();
    depth++;
  }

  void releaseSavepoint() {
    depth--;
  }

  /** Deltas made since the innermost savepoint, oldest first; they must be undone newest first. */
  List<Delta> sinceSavepoint() {
    return deltas.subList(savepoints[2 * (depth - 1)], deltas.size());
  }

  /** Forgets the deltas and locks since the innermost savepoint (after they were undone). */
  void rollbackSavepoint() {
    depth--;
    int deltaMark = savepoints[2 * depth];
    int lockMark = savepoints[2 * depth + 1];
    deltas.subList(deltaMark, deltas.size()).clear();
    List<String> taken = lockOrder.subList(lockMark, lockOrder.size());
    taken.forEach(locks::remove);
    taken.clear();
  }

  /** Every delta of the block in progress, oldest first. */
  List<Delta> all() {
    return deltas;
  }

  void reset() {
    // The next block likely has as many deltas: no regrowing the list from ten elements.
    deltas = new ArrayList<>(Math.max(10, deltas.size()));
    locks.clear();
    lockOrder.clear();
    depth = 0;
  }
}
