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
    // a full first layer of 1,024 keys (~1%) and a second of 1M keys holding the rest
    assertThat(f.layers()).isEqualTo(2);
    assertThat(falsePositives).isLessThan(2_500); // a broken filter: nearly all of them
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
