package dev.sdb.schema;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A strict check that a text is exactly one JSON value (RFC 8259, the syntax Jackson's default
 * reader accepts: no comments, single quotes, trailing commas, leading zeros, NaN, or unescaped
 * control characters; nesting at most {@value #MAX_DEPTH} deep). Three differences: a unicode
 * escape takes ASCII hex digits only (Jackson also takes some other characters, the RFC does not);
 * numbers and names have no length limit (Jackson's reader has limits of its own); and a string
 * may not hold a surrogate without its pair, which UTF-8, and so every database, cannot store (an
 * escaped one, {@code \\uD800}, is plain ASCII and passes). It builds nothing: JSON columns keep
 * the caller's text, so the check only has to say yes or no, and a contract writes JSON on every
 * transaction, so it walks the characters once instead of setting up a parser.
 */
final class JsonSyntax {
  /** Jackson's default nesting limit, so that text accepted here also reads back there. */
  static final int MAX_DEPTH = 1000;

  private static final int END = -1;

  private final String text;
  /** No control character, backslash or surrogate anywhere: a string ends at its next quote. */
  private final boolean plain;
  private int pos;

  private JsonSyntax(String text) {
    this.text = text;
    this.plain = !CharScan.mayHoldJsonSpecial(text);
  }

  /**
   * @throws IllegalArgumentException "not valid JSON: ..." with the reason and the offset, if
   *     {@code text} is not exactly one JSON value (surrounding whitespace allowed)
   */
  static void requireOneValue(String text) {
    JsonSyntax p = new JsonSyntax(text);
    p.skipWhitespace();
    if (p.peek() == END) {
      throw p.error("empty text");
    }
    p.value();
    p.skipWhitespace();
    if (p.peek() != END) {
      throw p.error("more than one value");
    }
  }

  /**
   * One value. Containers are tracked on an explicit stack, not by recursion, so that text nested
   * to the limit cannot overflow the stack of whatever thread runs the contract.
   */
  private void value() {
    // Which containers are open, innermost lowest: a bit per level, 1 for '{' and 0 for '[', in
    // a long for the first 64 levels (all a text needs in practice, without an allocation) and
    // in an array beyond them.
    long objects = 0;
    boolean @Nullable [] deeper = null; // levels 65.. : true for '{'
    int depth = 0;
    while (true) {
      int c = peek();
      boolean complete = true;
      if (c == '[' || c == '{') {
        if (depth == MAX_DEPTH) {
          throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
        if (depth < 64) {
          objects = (objects << 1) | (c == '{' ? 1 : 0);
        } else {
          if (deeper == null || depth - 64 == deeper.length) {
            deeper = deeper == null ? new boolean[64] : Arrays.copyOf(deeper, deeper.length * 2);
          }
          deeper[depth - 64] = c == '{';
        }
        depth++;
        pos++;
        skipWhitespace();
        if (peek() == closing(c)) {
          pos++;
          depth--;
          if (depth < 64) {
            objects >>>= 1;
          }
        } else {
          if (c == '{') {
            memberName();
          }
          complete = false; // its first member's value comes next
        }
      } else {
        scalar(c);
      }
      if (complete) {
        // After a value: close the containers it completes, or go on after a ','.
        while (true) {
          if (depth == 0) {
            return;
          }
          skipWhitespace();
          int container = (depth <= 64 ? (objects & 1) == 1 : deeper[depth - 65]) ? '{' : '[';
          int next = peek();
          if (next == ',') {
            pos++;
            skipWhitespace();
            if (container == '{') {
              memberName();
            }
            break;
          }
          if (next != closing(container)) {
            throw error("expected ',' or '" + (char) closing(container) + "'");
          }
          pos++;
          depth--;
          if (depth < 64) {
            objects >>>= 1;
          }
        }
      }
    }
  }

  private static int closing(int open) {
    return open == '[' ? ']' : '}';
  }

  /** An object member's name and its ':'; the value follows. */
  private void memberName() {
    if (peek() != '"') {
      throw error("expected a property name in double quotes");
    }
    string();
    skipWhitespace();
    expect(':');
    skipWhitespace();
  }

  /** A string, number, true, false or null. */
  private void scalar(int c) {
    switch (c) {
      case '"' -> string();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> {
        if (c == '-' || isDigit(c)) {
          number();
        } else {
          throw error(c == END ? "unexpected end" : "unexpected " + describe(c));
        }
      }
    }
  }

  private void string() {
    int start = ++pos;
    int end = text.indexOf('"', start);
    // A plain text needs no look at its strings; in another (an escape, a control character, a
    // surrogate, or only whitespace between values somewhere) this string may still be plain.
    if (end >= 0 && (plain || isPlain(start, end))) {
      pos = end + 1;
      return;
    }
    int length = text.length();
    while (pos < length) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return;
      }
      if (c == '\\') {
        escape();
      } else if (c < 0x20) {
        pos--;
        throw error("unescaped control character " + describe(c) + " in a string");
      } else if (Character.isSurrogate(c)) {
        pairedSurrogate(c);
      }
    }
    throw error("unterminated string");
  }

  /** Whether {@code text[from, to)} holds no backslash, control character or surrogate. */
  private boolean isPlain(int from, int to) {
    for (int i = from; i < to; i++) {
      if (CharScan.isJsonSpecial(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Steps over the low half of a pair whose high half was {@code c}; else refuses. */
  private void pairedSurrogate(char c) {
    if (!Character.isHighSurrogate(c) || pos >= text.length()
        || !Character.isLowSurrogate(text.charAt(pos))) {
      pos--;
      throw error("unpaired surrogate " + describe(c) + " in a string (UTF-8 cannot encode it; "
          + "escape it as \\u" + Integer.toHexString(c) + " if it is meant)");
    }
    pos++;
  }

  private void escape() {
    int c = peek();
    pos++;
    switch (c) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> { }
      case 'u' -> {
        for (int i = 0; i < 4; i++, pos++) {
          if (!isHexDigit(peek())) {
            throw error("expected four hex digits after \\u");
          }
        }
      }
      default -> {
        pos--;
        throw error(c == END ? "unterminated string" : "invalid escape \\" + (char) c);
      }
    }
  }

  private void number() {
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
      if (isDigit(peek())) {
        throw error("leading zero in a number");
      }
    } else {
      digits("a digit");
    }
    if (peek() == '.') {
      pos++;
      digits("a digit after the decimal point");
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      digits("a digit in the exponent");
    }
  }

  private void digits(String expected) {
    if (!isDigit(peek())) {
      throw error("expected " + expected);
    }
    while (isDigit(peek())) {
      pos++;
    }
  }

  private void literal(String word) {
    if (!text.startsWith(word, pos)) {
      throw error("expected " + word);
    }
    pos += word.length();
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private void skipWhitespace() {
    int length = text.length();
    while (pos < length) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      pos++;
    }
  }

  private int peek() {
    return pos < text.length() ? text.charAt(pos) : END;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** ASCII only: {@code Character.digit} would also take other scripts' digits. */
  private static boolean isHexDigit(int c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static String describe(int c) {
    if (c == END) {
      return "end";
    }
    return c < 0x20 || c > 0x7e ? String.format("U+%04X", c) : "'" + (char) c + "'";
  }

  private IllegalArgumentException error(String reason) {
    return new IllegalArgumentException("not valid JSON: " + reason + " at offset " + pos);
  }
}
