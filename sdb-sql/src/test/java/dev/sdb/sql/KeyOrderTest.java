package dev.sdb.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sdb.schema.ModelSchema;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The flush's row order must be exactly KEY_ORDER's, however it is computed. */
class KeyOrderTest {
  private final Random random = new Random(42);

  @Test
  void hashKeys_largeEnoughForTheRadixSort_endInKeyOrder() {
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      byte[] hash = new byte[32];
      random.nextBytes(hash);
      keys.add(HexFormat.of().formatHex(hash));
    }
    assertSortsLikeTheComparator(keys);
  }

  /** Equal prefixes (shared beginnings, short strings, NULs, Latin-1 above ASCII) are ties. */
  @Test
  void keysWithEqualPrefixes_areOrderedByTheWholeString() {
    List<Object> keys = new ArrayList<>();
    String[] beginnings = {"G0000000", "G000000", "ab", "", "ab\u0000", "\u00ff\u00e9\u00ff"};
    for (int i = 0; i < 12_000; i++) {
      String b = beginnings[random.nextInt(beginnings.length)];
      keys.add(b + (random.nextBoolean() ? "" : Integer.toString(random.nextInt(5_000))));
    }
    assertSortsLikeTheComparator(keys);
  }

  /**
   * Addresses share their first characters, so the prefixes start after them; a key that is that
   * shared beginning alone, or continues it with NULs, still sorts first.
   */
  @Test
  void keysWithALongSharedBeginning_endInKeyOrder() {
    List<Object> keys = new ArrayList<>(List.of("G00000", "G00000\u0000", "G00000\u0000\u0000"));
    for (int i = 0; i < 20_000; i++) {
      keys.add(String.format("G%010d", random.nextInt(1_000_000)));
      keys.add("G00000" + random.nextInt(10));
    }
    assertSortsLikeTheComparator(keys);
  }

  @Test
  void wideCharactersAfterASharedBeginning_fallBackToTheComparator() {
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < 6_000; i++) {
      keys.add("acct-" + (random.nextBoolean() ? "\u4e2d" : "\u00e9") + random.nextInt(100_000));
    }
    assertSortsLikeTheComparator(keys);
  }

  @Test
  void otherKeys_fallBackToTheComparator() {
    List<Object> wide = new ArrayList<>();
    List<Object> longs = new ArrayList<>();
    List<Object> composite = new ArrayList<>();
    for (int i = 0; i < 6_000; i++) {
      wide.add((random.nextBoolean() ? "\u4e2d" : "a") + random.nextInt(100_000));
      longs.add(random.nextLong());
      composite.add(List.of("c" + random.nextInt(30), random.nextInt(1_000)));
    }
    assertSortsLikeTheComparator(wide);
    assertSortsLikeTheComparator(longs);
    assertSortsLikeTheComparator(composite);
  }

  @Test
  void smallLists_areSortedToo() {
    List<Object> keys = new ArrayList<>(List.of("m", "z", "a", "q", "b"));
    KeyOrder.sort(keys, Function.identity());
    assertThat(keys).containsExactly("a", "b", "m", "q", "z");
  }

  private static void assertSortsLikeTheComparator(List<Object> keys) {
    List<Object> expected = new ArrayList<>(keys);
    expected.sort(ModelSchema.KEY_ORDER);
    List<Object> actual = new ArrayList<>(keys);
    KeyOrder.sort(actual, Function.identity());
    assertThat(actual).isEqualTo(expected);
  }
}
