package dev.sdb.schema;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One-pass checks of every character of a string, for the write path: every string and JSON text
 * a contract writes is scanned, and nearly all of them are plain ASCII. The caller looks closer
 * only when the answer is "maybe".
 *
 * <p><b>ASCII, eight at a time.</b> A string whose UTF-8 bytes are as many as its characters and
 * hold no {@code '?'} is ASCII: any other character either takes more than one byte or, a lone
 * surrogate, becomes {@code '?'} ({@link String#getBytes} replaces it). Its bytes are then its
 * characters, and they are tested eight at a time in a {@code long} with the borrow tricks for
 * "has a zero byte" and "has a byte below n" (exact for bytes below 0x80). The JIT does not
 * vectorise a loop that ORs a test per character, while the JDK's own intrinsics do the encoding:
 * a W1 transaction id or signature text is checked in half the time of the loop below, the
 * allocation included ({@code TextCheckBenchmark}, docs/benchmarks.md, thirteenth round).
 *
 * <p><b>Anything else</b> (a non-ASCII character, a {@code '?'}) is copied into a per-thread
 * buffer and each character tested without a branch. The two loops are alike on purpose: one
 * loop with a flag for the JSON tests made the text check 15% slower.
 */
final class CharScan {
  private static final int CHUNK = 256;
  private static final ThreadLocal<char[]> BUFFER = ThreadLocal.withInitial(() -> new char[CHUNK]);

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  private CharScan() {}

  /** Whether {@code s} may hold a NUL or a surrogate (paired or not). */
  static boolean mayHoldNulOrSurrogate(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == s.length()) {
      long nul = 0;
      long question = 0;
      int i = 0;
      for (; i <= bytes.length - 8; i += 8) {
        long x = (long) LONGS.get(bytes, i);
        nul |= zeroByte(x);
        question |= zeroByte(x ^ ONES * '?');
      }
      for (; i < bytes.length; i++) {
        nul |= bytes[i] == 0 ? 1 : 0;
        question |= bytes[i] == '?' ? 1 : 0;
      }
      if (nul != 0) {
        return true;
      }
      if (question == 0) {
        return false; // ASCII: no surrogate
      }
    }
    return charsMayHoldNulOrSurrogate(s);
  }

  /**
   * Whether {@code s} may hold a character that a JSON string cannot hold as it is or that needs
   * a closer look there: a control character (NUL included), a backslash or a surrogate.
   */
  static boolean mayHoldJsonSpecial(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == s.length()) {
      long special = 0;
      long question = 0;
      int i = 0;
      for (; i <= bytes.length - 8; i += 8) {
        long x = (long) LONGS.get(bytes, i);
        special |= byteBelow(x, 0x20) | zeroByte(x ^ ONES * '\\');
        question |= zeroByte(x ^ ONES * '?');
      }
      for (; i < bytes.length; i++) {
        special |= isJsonSpecial(bytes[i]) ? 1 : 0;
        question |= bytes[i] == '?' ? 1 : 0;
      }
      if (special != 0) {
        return true;
      }
      if (question == 0) {
        return false; // ASCII: no surrogate
      }
    }
    return charsMayHoldJsonSpecial(s);
  }

  /** Non-zero if a byte of {@code x} is zero. */
  private static long zeroByte(long x) {
    return (x - ONES) & ~x & HIGH_BITS;
  }

  /** Non-zero if a byte of {@code x} is below {@code n} (n at most 0x80, bytes below 0x80). */
  private static long byteBelow(long x, int n) {
    return (x - ONES * n) & ~x & HIGH_BITS;
  }

  private static boolean charsMayHoldNulOrSurrogate(String s) {
    char[] chars = BUFFER.get();
    for (int from = 0, n; from < s.length(); from += n) {
      n = copy(s, from, chars);
      boolean maybe = false;
      for (int i = 0; i < n; i++) {
        int c = chars[i];
        maybe |= c == 0 | isSurrogate(c);
      }
      if (maybe) {
        return true;
      }
    }
    return false;
  }

  private static boolean charsMayHoldJsonSpecial(String s) {
    char[] chars = BUFFER.get();
    for (int from = 0, n; from < s.length(); from += n) {
      n = copy(s, from, chars);
      boolean maybe = false;
      for (int i = 0; i < n; i++) {
        int c = chars[i];
        maybe |= isJsonSpecial(c);
      }
      if (maybe) {
        return true;
      }
    }
    return false;
  }

  /** Copies the next chunk from {@code from} (without an int overflow near 2^31 characters). */
  private static int copy(String s, int from, char[] chars) {
    int n = Math.min(CHUNK, s.length() - from);
    s.getChars(from, from + n, chars, 0);
    return n;
  }

  /** A control character (NUL included), a backslash or a surrogate, without a branch. */
  static boolean isJsonSpecial(int c) {
    return c < 0x20 | c == '\\' | isSurrogate(c);
  }

  /** U+D800..U+DFFF, without a branch. */
  private static boolean isSurrogate(int c) {
    return (c & 0xF800) == 0xD800;
  }
}
