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
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--baselines all|limit|none, not some");
    assertThatThrownBy(() -> W1Options.parse(new String[] {"--rollback", "100"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--rollback must be below --blocks");
    assertThatThrownBy(() -> W1Options.parse(new String[] {"--accounts", "abc"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--accounts takes a whole number, not 'abc'");
    assertThatThrownBy(() -> W1Options.parse(new String[] {"--runs", "0"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--runs must be at least 1, not 0");
    assertThatThrownBy(() -> W1Options.parse(new String[] {"--rollback", "-1"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--rollback must be at least 0, not -1");
    assertThatThrownBy(() -> W1Options.parse(new String[] {"--db", ""}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--db takes sqlite or a JDBC URL, not ''");
  }

  /** The check compares every balance: amounts booked to the wrong accounts fail it. */
  @Test
  void theCheck_findsBalancesThatAreWrong_evenWhenTheirSumIsRight() throws Exception {
    W1Options o = W1Options.parse(new String[] {"--accounts", "10", "--blocks", "3",
        "--transfers", "4", "--rollback", "1"});
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("w1-check");
    String url = "jdbc:sqlite:" + dir.resolve("w1.db");
    dev.sdb.sql.SqlStateStore store = dev.sdb.sql.SqlStateStore.open(url);
    W1Expected expected = new W1Expected(o.accounts());
    try (dev.sdb.Sdb sdb = dev.sdb.Sdb.builder().schema(W1Models.schema(W1Models.memoryAccount()))
        .store(store).wal(dir.resolve("wal")).manualFlush().open()) {
      W1Contract.genesis(sdb, o.accounts());
      W1Workload workload = new W1Workload(o.accounts(), Mulberry32.w1());
      for (long h = 1; h <= 2; h++) {
        java.util.List<W1Transfer> block = workload.nextBlock(h, o.transfers());
        expected.add(block);
        sdb.beginBlock(W1Workload.blockHeader(h));
        block.forEach(t -> W1Contract.transfer(sdb, t));
        sdb.commitBlock();
      }
      sdb.flush();
      assertThat(W1Check.check(store.reader(), o, expected, 0, 0)).startsWith("OK");

      try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
          java.sql.Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE account SET gny = gny + 5 WHERE address = 'G0000000001'");
        st.executeUpdate("UPDATE account SET gny = gny - 5 WHERE address = 'G0000000002'");
      }
      assertThat(W1Check.check(store.reader(), o, expected, 0, 0)).startsWith("FAIL")
          .contains("balances 2 wrong").contains("= " + W1SdbRun.expectedSum(o, 8));
      assertThat(W1Check.check(store.reader(), o, expected, 1, 0)).startsWith("FAIL")
          .contains("read rows 1/0");
    }
  }
}
