package dev.sdb.sql;

import dev.sdb.schema.ModelSchema;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Puts a flush's rows into primary-key order ({@link ModelSchema#KEY_ORDER}), so that the database
 * walks its key index from one end to the other instead of jumping around it.
 *
 * <p>Most keys are strings (hashes, addresses), and a large flush sorts a million of them:
 * comparing rows through their key strings then misses the cache at nearly every step (2.2 s of
 * the W1 scale run's final flush). So when every key is a string whose first eight characters are
 * Latin-1, each key is read once into a 64-bit prefix that orders as the string does, the prefixes
 * are radix-sorted, and only rows whose prefixes are equal are compared as strings. Other keys are
 * sorted with the comparator. Either way the order is exactly {@code KEY_ORDER}'s.
 */
final class KeyOrder {
  /** Below this, the comparator is as fast as setting up the radix sort. */
  private static final int RADIX_FROM = 4096;
  private static final int PREFIX_CHARS = 8;
  private static final int DIGIT_BITS = 16;

  private KeyOrder() {}

  static <T> void sort(List<T> items, Function<T, Object> key) {
    Comparator<T> byKey = (a, b) -> ModelSchema.KEY_ORDER.compare(key.apply(a), key.apply(b));
    int n = items.size();
    if (n < RADIX_FROM) {
      items.sort(byKey);
      return;
    }
    long[] prefixes = new long[n];
    for (int i = 0; i < n; i++) {
      if (!(key.apply(items.get(i)) instanceof String s) || !hasLatin1Prefix(s)) {
        items.sort(byKey);
        return;
      }
      prefixes[i] = prefix(s);
    }
    int[] order = radixSort(prefixes);
    @SuppressWarnings("unchecked")
    T[] sorted = (T[]) new Object[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = items.get(order[i]);
    }
    for (int from = 0; from < n; ) {
      int to = from + 1;
      while (to < n && prefixes[order[to]] == prefixes[order[from]]) {
        to++;
      }
      if (to - from > 1) {
        Arrays.sort(sorted, from, to, byKey);
      }
      from = to;
    }
    for (int i = 0; i < n; i++) {
      items.set(i, sorted[i]);
    }
  }

  private static boolean hasLatin1Prefix(String s) {
    for (int i = 0; i < Math.min(PREFIX_CHARS, s.length()); i++) {
      if (s.charAt(i) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  /**
   * The first eight characters, one byte each, padded with zeros: as unsigned numbers, prefixes
   * order as the strings do, except that equal prefixes say nothing (a string shorter than eight
   * characters and the same string followed by NULs have the same prefix).
   */
  private static long prefix(String s) {
    long p = 0;
    for (int i = 0; i < PREFIX_CHARS; i++) {
      p = (p << 8) | (i < s.length() ? s.charAt(i) : 0);
    }
    return p;
  }

  /** The indexes of {@code keys} in unsigned ascending order (LSD radix sort, stable). */
  private static int[] radixSort(long[] keys) {
    int n = keys.length;
    long[] k = keys.clone();
    long[] kNext = new long[n];
    int[] index = new int[n];
    int[] indexNext = new int[n];
    for (int i = 0; i < n; i++) {
      index[i] = i;
    }
    int[] count = new int[1 << DIGIT_BITS];
    int mask = (1 << DIGIT_BITS) - 1;
    for (int shift = 0; shift < Long.SIZE; shift += DIGIT_BITS) {
      Arrays.fill(count, 0);
      for (long key : k) {
        count[(int) (key >>> shift) & mask]++;
      }
      if (count[(int) (k[0] >>> shift) & mask] == n) {
        continue; // every key has this digit: nothing to reorder
      }
      int start = 0;
      for (int d = 0; d < count.length; d++) {
        int c = count[d];
        count[d] = start;
        start += c;
      }
      for (int i = 0; i < n; i++) {
        int at = count[(int) (k[i] >>> shift) & mask]++;
        kNext[at] = k[i];
        indexNext[at] = index[i];
      }
      long[] kSwap = k;
      k = kNext;
      kNext = kSwap;
      int[] indexSwap = index;
      index = indexNext;
      indexNext = indexSwap;
    }
    return index;
  }
}
