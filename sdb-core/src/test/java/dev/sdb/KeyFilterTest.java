package dev.sdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyFilterTest {

  @Test
  void addedKeys_areAlwaysFound_evenAcrossGrownLayers() {
    KeyFilter f = new KeyFilter(1000);
    for (int i = 0; i < 200_000; i++) {
      f.add("G" + i);
      f.add(List.of("addr" + i, "GNY"));
    }
    for (int i = 0; i < 200_000; i++) {
      assertThat(f.mightContain("G" + i)).isTrue();
      assertThat(f.mightContain(List.of("addr" + i, "GNY"))).isTrue();
    }
  }

  /** A key deleted and created in every block, or a unique value set back and forth. */
  @Test
  void aKeyAddedAgainAndAgain_countsOnce_andAddsNoLayer() {
    KeyFilter f = new KeyFilter(1000);
    for (int i = 0; i < 2_000_000; i++) {
      f.add("G" + (i % 10));
    }
    assertThat(f.layers()).isEqualTo(1);
    for (int i = 0; i < 10; i++) {
      assertThat(f.mightContain("G" + i)).isTrue();
    }
  }

  @Test
  void absentKeys_areMostlyRejected() {
    KeyFilter f = new KeyFilter(1000);
    for (int i = 0; i < 100_000; i++) {
      f.add("present-" + i);
    }
    int falsePositives = 0;
    for (int i = 0; i < 100_000; i++) {
      if (f.mightContain("absent-" + i)) {
        falsePositives++;
      }
    }
    // 8 layers of ~1% each at worst; a broken filter answers "maybe" to nearly everything
    assertThat(falsePositives).isLessThan(10_000);
  }

  @Test
  void oneFullLayer_answersMaybeForAboutOneAbsentKeyInAHundred() {
    KeyFilter f = new KeyFilter(100_000);
    for (int i = 0; i < 100_000; i++) {
      f.add("tx-" + i);
    }
    int falsePositives = 0;
    for (int i = 0; i < 100_000; i++) {
      if (f.mightContain("other-" + i)) {
        falsePositives++;
      }
    }
    assertThat(falsePositives).isBetween(1, 2_000); // 10 bits and 7 hashes a key: ~1%
  }
}
