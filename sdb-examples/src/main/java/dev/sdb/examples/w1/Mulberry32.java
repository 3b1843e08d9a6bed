package dev.sdb.examples.w1;

/**
 * The 32-bit mulberry32 generator W1 draws every random number from, bit for bit the same as the
 * JavaScript reference:
 *
 * <pre>
 * next(): a += 0x6D2B79F5; t = a; t = imul(t ^ (t >>> 15), t | 1);
 *         t ^= t + imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296.0
 * </pre>
 *
 * <p>Java's {@code int} arithmetic wraps exactly like {@code imul} and the JavaScript int32
 * conversions. Not thread-safe.
 */
public final class Mulberry32 {
  /** The seed every W1 run uses. */
  public static final int W1_SEED = 42;

  private int state;

  public Mulberry32(int seed) {
    this.state = seed;
  }

  /** A generator seeded with {@link #W1_SEED}. */
  public static Mulberry32 w1() {
    return new Mulberry32(W1_SEED);
  }

  /** The next value in [0, 1). */
  public double next() {
    state += 0x6D2B79F5;
    int t = state;
    t = (t ^ (t >>> 15)) * (t | 1);
    t ^= t + (t ^ (t >>> 7)) * (t | 61);
    return ((t ^ (t >>> 14)) & 0xFFFF_FFFFL) / 4294967296.0;
  }

  /** {@code floor(next() * bound)}: a value in [0, bound). */
  public int nextInt(int bound) {
    return (int) Math.floor(next() * bound);
  }
}
