package dev.sdb;

import java.util.ArrayList;
import java.util.List;

/**
 * A scalable Bloom filter over the keys (or unique values) a store may hold, so that a create
 * does not have to ask the database whether its new key exists: "no" is certain, "maybe" asks.
 * Layers double in capacity as keys are added, keeping the false-positive rate near 1%. Keys are
 * never removed; a deleted key only costs a lookup.
 */
final class KeyFilter {
  private static final int BITS_PER_KEY = 10;
  private static final int HASHES = 7;

  private final List<long[]> layers = new ArrayList<>();
  private long[] current;
  private long capacity;
  private long count;

  KeyFilter(long expectedKeys) {
    this.capacity = Math.max(1024, expectedKeys);
    this.current = new long[(int) Math.min(Integer.MAX_VALUE - 8, capacity * BITS_PER_KEY / 64 + 1)];
    layers.add(current);
  }

  void add(Object key) {
    if (count >= capacity) {
      capacity *= 2;
      current = new long[(int) Math.min(Integer.MAX_VALUE - 8, capacity * BITS_PER_KEY / 64 + 1)];
      layers.add(current);
      count = 0;
    }
    long h = mix(key.hashCode());
    long bits = (long) current.length * 64;
    for (int i = 0; i < HASHES; i++) {
      long bit = Math.floorMod(h + i * (h >>> 32 | 1), bits);
      current[(int) (bit >>> 6)] |= 1L << bit;
    }
    count++;
  }

  boolean mightContain(Object key) {
    long h = mix(key.hashCode());
    for (long[] layer : layers) {
      long bits = (long) layer.length * 64;
      boolean all = true;
      for (int i = 0; i < HASHES && all; i++) {
        long bit = Math.floorMod(h + i * (h >>> 32 | 1), bits);
        all = (layer[(int) (bit >>> 6)] & (1L << bit)) != 0;
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  /** SplitMix64's finaliser: spreads a 32-bit hash code over 64 bits. */
  private static long mix(int hash) {
    long z = hash * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
