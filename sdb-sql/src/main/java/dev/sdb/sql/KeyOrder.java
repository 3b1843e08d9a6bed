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
 * the W1 scale run's final flush). So when every key is a string, each key is read once into a
 * 64-bit prefix that orders as the string does: eight Latin-1 characters that follow the beginning
 * all keys share (addresses such as {@code G0000123456} share {@code G0000}, and eight characters
 * from the start would tell few of them apart). The prefixes are radix-sorted, and only rows whose
 * prefixes are equal are compared as strings. Other keys, and strings with other characters there,
 * are sorted with the comparator. Either way the order is exactly {@code KEY_ORDER}'s.
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
    String[] strings = new String[n];
    int shared = Integer.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      if (!(key.apply(items.get(i)) instanceof String s)) {
        items.sort(byKey);
        return;
      }
      strings[i] = s;
      shared = sharedLength(strings[0], s, shared);
    }
    long[] prefixes = new long[n];
    for (int i = 0; i < n; i++) {
      if (!hasLatin1Prefix(strings[i], shared)) {
        items.sort(byKey);
        return;
      }
      prefixes[i] = prefix(strings[i], shared);
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

  /** The length of the beginning {@code a} and {@code b} share, at most {@code max}. */
  private static int sharedLength(String a, String b, int max) {
    int limit = Math.min(max, Math.min(a.length(), b.length()));
    int i = 0;
    while (i < limit && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }

  private static boolean hasLatin1Prefix(String s, int from) {
    for (int i = from; i < Math.min(from + PREFIX_CHARS, s.length()); i++) {
      if (s.charAt(i) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  /**
   * The eight characters from {@code from} on, one byte each, padded with zeros. Among strings
   * that share their first {@code from} characters, prefixes as unsigned numbers order as the
   * strings do, except that equal prefixes say nothing (a string that ends within them and the
   * same string followed by NULs have the same prefix).
   */
  private static long prefix(String s, int from) {
    long p = 0;
    for (int i = from; i < from + PREFIX_CHARS; i++) {
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
