package dev.sdb.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSyntaxTest {

  private static final List<String> VALID = List.of(
      "0", "-0", "1", "-12", "3.25", "1e5", "1E+5", "-1.5e-7", "123456789012345678901234567890",
      "true", "false", "null", "\"\"", "\"a\"",
      "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00\"",
      "\"é ü 中 \u007f\"", "[]", "{}", "[1,2,3]", "{\"a\":1,\"b\":[true,null,{\"c\":\"d\"}]}",
      " \t\r\n[ 1 , { \"a\" : [ ] } ] \n", "[[[[[]]]]]", "{\"\":{\"\":{}}}",
      "[12345678901234567890, \"G0000000042\"]",
      "[\"" + "ab".repeat(64) + "\"]");

  private static final List<String> INVALID = List.of(
      "", "   ", "[", "]", "{", "}", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\"}", "{\"a\" 1}", "{a:1}",
      "{'a':1}", "'a'", "\"abc", "\"a\\x\"", "\"a\\u12\"", "\"a\\u12g4\"",
      "\"tab\there\"",
      "\"line\nbreak\"", "01", "-", "-01", "1.", ".5", "1e", "1e+", "+1", "NaN", "Infinity", "tru",
      "nul", "truex", "[1] [2]", "1 2", "[1]]", "{\"a\":1}}", "[1 2]", "{\"a\":1 \"b\":2}",
      "// comment\n1", "/* c */ 1", "[1]x", "\u00a0 1", "\u0000", "[\"a\",]", "{,}", "[:]",
      "{\"a\"::1}");

  @Test
  void acceptsValidJson() {
    for (String text : VALID) {
      assertThatCode(() -> JsonSyntax.requireOneValue(text)).as(text).doesNotThrowAnyException();
      assertThat(jacksonAccepts(text)).as("the oracle agrees: %s", text).isTrue();
    }
  }

  @Test
  void rejectsInvalidJsonWithTheReasonAndOffset() {
    for (String text : INVALID) {
      assertThatThrownBy(() -> JsonSyntax.requireOneValue(text)).as(text)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("not valid JSON: ")
          .hasMessageContaining(" at offset ");
      assertThat(jacksonAccepts(text)).as("the oracle agrees: %s", text).isFalse();
    }
  }

  /**
   * The text is scanned 256 characters at a time for anything that needs a closer look; what
   * lies in a later chunk, or straddles two, must be found as surely as what lies in the first.
   */
  @Test
  void charactersThatNeedACloserLook_areFoundInEveryChunkOfTheText() {
    for (int at : new int[] {0, 1, 252, 253, 254, 255, 256, 700}) {
      String before = "[\"" + "a".repeat(at);
      for (String ok : List.of("\\n", "\\\"", "\\u00e9", "\uD83D\uDE00")) {
        String text = before + ok + "b\"]";
        assertThatCode(() -> JsonSyntax.requireOneValue(text)).as("%d: %s", at, ok)
            .doesNotThrowAnyException();
        assertThat(jacksonAccepts(text)).isTrue();
      }
      // the offset is that of the character itself; for an escape, of the letter after the '\'
      for (String bad : List.of("\u0001", "\u0000", "\n", "\uD800", "\uDC00", "\\x")) {
        String text = before + bad + "b\"]";
        assertThatThrownBy(() -> JsonSyntax.requireOneValue(text)).as("%d: %s", at, bad)
            .hasMessageStartingWith("not valid JSON: ")
            .hasMessageContaining(" at offset " + (at + 2 + (bad.startsWith("\\") ? 1 : 0)));
      }
    }
  }

  /**
   * Jackson masks a character to its low byte before looking up a hex digit, so it takes some
   * non-ASCII characters after {@code \\u}; RFC 8259 allows ASCII hex digits only, and so do we.
   */
  @ParameterizedTest
  @ValueSource(strings = {"\"\\u\u0663\u0663\u0663\u0663\"", "\"\\u\uff21\uff21\uff21\uff21\""})
  void unicodeEscapesTakeAsciiHexDigitsOnly(String text) {
    assertThatThrownBy(() -> JsonSyntax.requireOneValue(text))
        .hasMessageContaining("expected four hex digits after \\u");
  }

  @Test
  void messageSaysWhatIsWrongAndWhere() {
    assertThatThrownBy(() -> JsonSyntax.requireOneValue("[1,]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not valid JSON: unexpected ']' at offset 3");
    assertThatThrownBy(() -> JsonSyntax.requireOneValue("{\"a\" 1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not valid JSON: expected ':' at offset 5");
    assertThatThrownBy(() -> JsonSyntax.requireOneValue("\"a\\x\""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not valid JSON: invalid escape \\x at offset 3");
  }

  @Test
  void nestingIsLimitedAsJacksonLimitsIt() {
    String deepest = "[".repeat(JsonSyntax.MAX_DEPTH) + "]".repeat(JsonSyntax.MAX_DEPTH);
    String tooDeep = "[".repeat(JsonSyntax.MAX_DEPTH + 1) + "]".repeat(JsonSyntax.MAX_DEPTH + 1);

    assertThatCode(() -> JsonSyntax.requireOneValue(deepest)).doesNotThrowAnyException();
    assertThatThrownBy(() -> JsonSyntax.requireOneValue(tooDeep))
        .hasMessageContaining("nested deeper than 1000 levels");
    assertThat(jacksonAccepts(deepest)).isTrue();
    assertThat(jacksonAccepts(tooDeep)).isFalse();
  }

  /**
   * The open containers are kept as bits for the first 64 levels and in an array beyond: objects
   * and arrays mixed at every depth around that boundary must still close with their own
   * bracket, with members after a nested value.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 62, 63, 64, 65, 66, 129, 300})
  void mixedNesting_closesEachContainerWithItsOwnBracket(int depth) {
    StringBuilder open = new StringBuilder();
    StringBuilder close = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      boolean object = i % 3 != 0 && i % 5 != 1; // objects and arrays, mixed
      open.append(object ? "{\"k\":" : "[1,");
      close.insert(0, object ? ",\"z\":2}" : ",3]");
    }
    String valid = open + "0" + close;
    assertThatCode(() -> JsonSyntax.requireOneValue(valid)).doesNotThrowAnyException();
    assertThat(jacksonAccepts(valid)).isTrue();
    // an empty container at the innermost level, and one after a nested value
    for (String inner : List.of("{}", "[]", "[{}, []]", "{\"a\":[], \"b\":{}}")) {
      String text = open + inner + close;
      assertThatCode(() -> JsonSyntax.requireOneValue(text)).as(inner).doesNotThrowAnyException();
      assertThat(jacksonAccepts(text)).isTrue();
    }

    // each closing bracket swapped for the other kind, one at a time
    for (int at = 0; at < close.length(); at++) {
      char c = close.charAt(at);
      if (c != ']' && c != '}') {
        continue;
      }
      String wrong = open + "0" + close.substring(0, at) + (c == ']' ? '}' : ']')
          + close.substring(at + 1);
      assertThatThrownBy(() -> JsonSyntax.requireOneValue(wrong)).as("%d: %s", at, wrong)
          .hasMessageStartingWith("not valid JSON: expected ',' or '" + c + "'");
      assertThat(jacksonAccepts(wrong)).isFalse();
    }
  }

  /** No recursion: the deepest text passes on a thread with a tiny stack, interpreted or not. */
  @Test
  void deepNestingNeedsNoStack() throws InterruptedException {
    int half = JsonSyntax.MAX_DEPTH / 2;
    String deepest = "{\"a\":".repeat(half) + "[".repeat(half) + "]".repeat(half)
        + "}".repeat(half);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        JsonSyntax.requireOneValue(deepest);
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "small-stack", 32 * 1024);
    t.start();
    t.join();
    assertThat(failure.get()).isNull();
  }

  /** Random edits of valid documents: every verdict must be Jackson's. */
  @Test
  void agreesWithJacksonOnMutatedDocuments() {
    Random random = new Random(42);
    String alphabet = "[]{}\",:\\/ \t\n0123456789-+.eEtrufalsn\u0001é";
    List<String> disagreements = new ArrayList<>();
    int accepted = 0;
    for (int i = 0; i < 50_000; i++) {
      StringBuilder text = new StringBuilder(VALID.get(random.nextInt(VALID.size())));
      for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
        int at = random.nextInt(text.length() + 1);
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(3)) {
          case 0 -> text.insert(at, c);
          case 1 -> {
            if (at < text.length()) {
              text.deleteCharAt(at);
            }
          }
          default -> {
            if (at < text.length()) {
              text.setCharAt(at, c);
            }
          }
        }
      }
      String s = text.toString();
      boolean ours = sdbAccepts(s);
      accepted += ours ? 1 : 0;
      if (ours != jacksonAccepts(s) && disagreements.size() < 10) {
        disagreements.add(s + " -> " + (ours ? "accepted" : "rejected"));
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(accepted).as("the mutations leave some documents valid").isBetween(1_000, 49_000);
  }

  private static boolean sdbAccepts(String text) {
    try {
      JsonSyntax.requireOneValue(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean jacksonAccepts(String text) {
    try (JsonParser p = new JsonFactory().createParser(text)) {
      if (p.nextToken() == null) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }
}
