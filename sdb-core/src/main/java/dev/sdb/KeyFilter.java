package dev.sdb;

import java.util.ArrayList;
import java.util.List;

/**
 * A scalable Bloom filter over the keys (or unique values) a store may hold, so that a create
 * does not have to ask the database whether its new key exists: "no" is certain, "maybe" asks.
 * When a layer is full, a new one is added with twice its capacity, or {@link #GROWN_LAYER_KEYS}
 * if that is more. Each full layer answers about 1% of absent keys "maybe", so the false-positive
 * rate is about 1% per full layer: a small first layer (which stays in the CPU cache, and is all
 * a small table needs) costs a table that grows past it one layer, not one per doubling. Keys
 * are never removed; a deleted key only costs a lookup, and creating it again adds nothing.
 *
 * <p>Each layer is a blocked Bloom filter: a key's bits all lie in one 512-bit block (one cache
 * line), so a lookup costs one memory access per layer instead of one per hash.
 */
final class KeyFilter {
  private static final int BITS_PER_KEY = 10;
  private static final int HASHES = 7;
  private static final int WORDS_PER_BLOCK = 8;
  /** The least capacity of a layer after the first: 1M keys, 1.25 MB. */
  static final long GROWN_LAYER_KEYS = 1 << 20;

  private final List<long[]> layers = new ArrayList<>();
  private long[] current;
  private long capacity;
  private long count;

  KeyFilter(long expectedKeys) {
    this.capacity = Math.max(1024, expectedKeys);
    this.current = layer(capacity);
    layers.add(current);
  }

  private static long[] layer(long keys) {
    long blocks = Math.min((Integer.MAX_VALUE - 8) / WORDS_PER_BLOCK, keys * BITS_PER_KEY / 512 + 1);
    return new long[(int) blocks * WORDS_PER_BLOCK];
  }

  int layers() {
    return layers.size();
  }

  /**
   * Adds a key. One the filter already answers "maybe" for is not added again: a key deleted and
   * created again, or a unique value set back, would otherwise count once per write, and the
   * layers would grow with the writes instead of the keys. (A false "maybe" stays one, so that key
   * is covered too.)
   */
  void add(Object key) {
    if (mightContain(key)) {
      return;
    }
    if (count >= capacity) {
      capacity = Math.max(capacity * 2, GROWN_LAYER_KEYS);
      current = layer(capacity);
      layers.add(current);
      count = 0;
    }
    long h = mix(key.hashCode());
    int block = block(h, current);
    long bits = mix(h);
    for (int i = 0; i < HASHES; i++, bits >>>= 9) {
      current[block + ((int) bits & 511) / 64] |= 1L << bits;
    }
    count++;
  }

  boolean mightContain(Object key) {
    long h = mix(key.hashCode());
    long firstBits = mix(h);
    for (long[] layer : layers) {
      int block = block(h, layer);
      long bits = firstBits;
      // No early exit inside a layer: without that branch the CPU runs ahead into the next
      // layer's block, so the layers' cache misses overlap instead of adding up.
      long missing = 0;
      for (int i = 0; i < HASHES; i++, bits >>>= 9) {
        missing |= ~layer[block + ((int) bits & 511) / 64] & (1L << bits);
      }
      if (missing == 0) {
        return true;
      }
    }
    return false;
  }

  /** The first word of the key's block: the high 32 bits of the hash scaled to the block count. */
  private static int block(long h, long[] layer) {
    long blocks = layer.length / WORDS_PER_BLOCK;
    return (int) (((h >>> 32) * blocks) >>> 32) * WORDS_PER_BLOCK;
  }

  /** SplitMix64's finaliser: spreads a hash over 64 bits. */
  private static long mix(long hash) {
    long z = hash * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
