package dev.sdb.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The scans answer exactly: "maybe" if and only if the text holds a character the caller must
 * look at, wherever it lies, in ASCII, Latin-1 and UTF-16 text alike (the JDK keeps each kind
 * differently, and a faster scan would be tempted to treat them differently).
 */
class CharScanTest {
  /** Every kind of character a scan must tell apart, ASCII ones more often. */
  private static final String ALPHABET = "abcdefgh0123456789[]\",:{} abcdefgh0123456789"
      + "?\u0000\u0001\u001f\t\n\\\u007f\u0080é\u00ff中\uD800\uDBFF\uDC00\uDFFF\uFFFF";

  @Test
  void randomTexts_getTheExactAnswer() {
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      String s = randomText(random, random.nextInt(40));
      assertThat(CharScan.mayHoldNulOrSurrogate(s)).as("NUL or surrogate in %s", escaped(s))
          .isEqualTo(hasNulOrSurrogate(s));
      assertThat(CharScan.mayHoldJsonSpecial(s)).as("JSON special in %s", escaped(s))
          .isEqualTo(hasJsonSpecial(s));
    }
  }

  /** One character in plain ASCII, in every place of short texts. */
  @Test
  void oneCharacterAnywhereInAscii_isFound() {
    for (int length = 1; length <= 40; length++) {
      for (int at = 0; at < length; at++) {
        for (char c : new char[] {'\u0000', '\uD800', '\uDFFF'}) {
          assertThat(CharScan.mayHoldNulOrSurrogate(placed(length, at, c)))
              .as("U+%04X at %d of %d", (int) c, at, length).isTrue();
        }
        for (char c : new char[] {'\u0000', '\u0001', '\u001f', '\n', '\\', '\uD83D', '\uDE00'}) {
          assertThat(CharScan.mayHoldJsonSpecial(placed(length, at, c)))
              .as("U+%04X at %d of %d", (int) c, at, length).isTrue();
        }
        for (char c : new char[] {'?', ' ', '\u007f', 'é', '中'}) {
          assertThat(CharScan.mayHoldNulOrSurrogate(placed(length, at, c))).isFalse();
          assertThat(CharScan.mayHoldJsonSpecial(placed(length, at, c))).isFalse();
        }
      }
    }
    assertThat(CharScan.mayHoldNulOrSurrogate("")).isFalse();
    assertThat(CharScan.mayHoldJsonSpecial("")).isFalse();
  }

  /** A surrogate pair in ASCII is found wherever it is. */
  @Test
  void aPairInAscii_isFound_inEveryPlace() {
    for (int length = 2; length <= 40; length++) {
      for (int at = 0; at + 1 < length; at++) {
        char[] chars = placed(length, at, '\uD83D').toCharArray();
        chars[at + 1] = '\uDE00';
        String s = new String(chars);
        assertThat(CharScan.mayHoldNulOrSurrogate(s)).as("pair at %d of %d", at, length).isTrue();
        assertThat(CharScan.mayHoldJsonSpecial(s)).as("pair at %d of %d", at, length).isTrue();
      }
    }
  }

  /** Text with a character above U+00FF is scanned 256 characters at a time; every chunk counts. */
  @Test
  void textBeyondLatin1_isScannedInEveryChunk() {
    for (int at : new int[] {1, 254, 255, 256, 257, 511, 512, 700}) {
      String plain = "中" + "x".repeat(800);
      assertThat(CharScan.mayHoldNulOrSurrogate(plain)).isFalse();
      assertThat(CharScan.mayHoldJsonSpecial(plain)).isFalse();
      for (char c : new char[] {'\u0000', '\uDC00'}) {
        String s = plain.substring(0, at) + c + plain.substring(at + 1);
        assertThat(CharScan.mayHoldNulOrSurrogate(s)).as("U+%04X at %d", (int) c, at).isTrue();
        assertThat(CharScan.mayHoldJsonSpecial(s)).as("U+%04X at %d", (int) c, at).isTrue();
      }
      String backslash = plain.substring(0, at) + '\\' + plain.substring(at + 1);
      assertThat(CharScan.mayHoldJsonSpecial(backslash)).as("'\\' at %d", at).isTrue();
      assertThat(CharScan.mayHoldNulOrSurrogate(backslash)).isFalse();
    }
  }

  private static String placed(int length, int at, char c) {
    char[] chars = "abcdefghijklmnopqrstuvwxyz0123456789ABCD".substring(0, length).toCharArray();
    chars[at] = c;
    return new String(chars);
  }

  private static String randomText(Random random, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  private static boolean hasNulOrSurrogate(String s) {
    return s.chars().anyMatch(c -> c == 0 || Character.isSurrogate((char) c));
  }

  private static boolean hasJsonSpecial(String s) {
    return s.chars().anyMatch(c -> c < 0x20 || c == '\\' || Character.isSurrogate((char) c));
  }

  private static String escaped(String s) {
    StringBuilder sb = new StringBuilder();
    s.chars().forEach(c -> sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04X", c)
        : String.valueOf((char) c)));
    return sb.toString();
  }
}
