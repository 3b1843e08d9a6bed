package dev.sdb.schema;

/**
 * One-pass checks of every character of a string, for the write path: every string and JSON text
 * a contract writes is scanned, and nearly all of them are plain. Each check copies the characters
 * into a per-thread buffer and ORs one test per character, without a branch (a third of the time
 * of a {@code charAt} loop that branches, and less than folding with a minimum, which the JIT
 * does not vectorise either); the caller looks closer only when the answer is "maybe". The two
 * loops are alike on purpose: one loop with a flag for the JSON tests made the text check 15%
 * slower.
 */
final class CharScan {
  private static final int CHUNK = 256;
  private static final ThreadLocal<char[]> BUFFER = ThreadLocal.withInitial(() -> new char[CHUNK]);

  private CharScan() {}

  /** Whether {@code s} may hold a NUL or a surrogate (paired or not). */
  static boolean mayHoldNulOrSurrogate(String s) {
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

  /**
   * Whether {@code s} may hold a character that a JSON string cannot hold as it is or that needs
   * a closer look there: a control character (NUL included), a backslash or a surrogate.
   */
  static boolean mayHoldJsonSpecial(String s) {
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
