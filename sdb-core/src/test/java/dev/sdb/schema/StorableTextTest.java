package dev.sdb.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** String columns refuse NUL and unpaired surrogates wherever they are in the text. */
class StorableTextTest {
  private static Object coerce(String s) {
    return ColumnType.STRING.coerce(s, 10_000);
  }

  @Test
  void textWithoutNulOrSurrogates_isKept() {
    String latin = "G0000000001 é ÿ " + "x".repeat(600);
    assertThat(coerce(latin)).isEqualTo(latin);
    assertThat(coerce("")).isEqualTo("");
    String cjk = "区块链 ".repeat(200);
    assertThat(coerce(cjk)).isEqualTo(cjk);
  }

  @Test
  void surrogatePairs_areKept_alsoAcrossTheScansChunks() {
    for (int at = 250; at < 262; at++) { // the scan copies 256 characters at a time
      String s = "a".repeat(at) + "\uD83D\uDE00" + "b".repeat(10);
      assertThat(coerce(s)).isEqualTo(s);
    }
  }

  @Test
  void nulAnywhere_isRefusedWithItsIndex() {
    for (int at : new int[] {0, 1, 255, 256, 257, 700}) {
      String s = "a".repeat(at) + "\u0000" + "b".repeat(5);
      assertThatThrownBy(() -> coerce(s)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("NUL character at index " + at + "; PostgreSQL cannot store it in text");
    }
  }

  @Test
  void unpairedSurrogatesAnywhere_areRefusedWithTheirIndex() {
    for (int at : new int[] {0, 255, 256, 700}) {
      String high = "a".repeat(at) + "\uD800" + "b";
      String low = "a".repeat(at) + "\uDFFF";
      String reversed = "a".repeat(at) + "\uDE00\uD83D";
      assertThatThrownBy(() -> coerce(high)).hasMessageStartingWith(
          "unpaired surrogate \\uD800 at index " + at);
      assertThatThrownBy(() -> coerce(low)).hasMessageStartingWith(
          "unpaired surrogate \\uDFFF at index " + at);
      assertThatThrownBy(() -> coerce(reversed)).hasMessageStartingWith(
          "unpaired surrogate \\uDE00 at index " + at);
    }
    assertThatThrownBy(() -> coerce("x\uD800")).hasMessageContaining("stored as '?'");
  }
}
