package dev.sdb.examples.w1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The documented W1 command runs, checks itself and prints the ratios it is run for. */
class W1BenchmarkTest {

  /** W1's output; a failed self-check fails the test. */
  private static String run(String... args) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    boolean passed;
    try {
      passed = W1Benchmark.run(args);
    } finally {
      System.setOut(original);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(passed).as(text).isTrue();
    return text;
  }

  /** T = 75: one rolled-back contract per block (j = 49), not T/50 of them. */
  private static final String[] SMALL = {"--accounts", "200", "--blocks", "6", "--transfers",
      "75", "--rollback", "2", "--runs", "1", "--warmups", "0"};

  private static String[] small(String... more) {
    String[] args = java.util.Arrays.copyOf(SMALL, SMALL.length + more.length);
    System.arraycopy(more, 0, args, SMALL.length, more.length);
    return args;
  }

  @Test
  void allBaselines_printTheCheckAndEveryRatio() throws Exception {
    String out = run(small());
    assertThat(out).contains("check OK").contains("median limit:").contains("median baselines:")
        .contains("SDB").endsWith("PASS\n");
  }

  @Test
  void limitOnly_skipsThePlainJdbcAndHashMapBaselines() throws Exception {
    String out = run(small("--baselines", "limit"));
    assertThat(out).contains("check OK").contains("median limit:")
        .doesNotContain("plain JDBC").endsWith("PASS\n");
  }

  @Test
  void noBaselines_printsSdbOnly() throws Exception {
    String out = run(small("--no-baselines", "--warmups", "1"));
    assertThat(out).contains("check OK: accounts 200/200, transfers 296/296")
        .doesNotContain("limit").endsWith("PASS\n");
  }

  @Test
  void badOptions_areNamed() {
    assertThatThrownBy(() -> W1Options.parse(new String[] {"--baselines", "some"}))
        .hasMessage("--baselines all|limit|none, not some");
    assertThatThrownBy(() -> W1Options.parse(new String[] {"--rollback", "100"}))
        .hasMessage("--rollback must be below --blocks");
  }
}
