package dev.sdb.examples.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.BlockHeader;
import dev.sdb.Sdb;
import dev.sdb.examples.w1.W1Workload;
import dev.sdb.sql.Query;
import dev.sdb.sql.SdbReader;
import dev.sdb.sql.SqlStateStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo node end to end on a temporary SQLite database: runs to completion, leaves a consistent
 * chain in the database (whatever forks and failures happened on the way), continues it on a
 * second run, and stops cleanly when asked to.
 */
@Timeout(60)
class DemoNodeTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  private Summary run(String... args) {
    DemoNode node = new DemoNode(DemoOptions.parse(args),
        new PrintStream(output, true, StandardCharsets.UTF_8));
    return node.run();
  }

  private String output() {
    return output.toString(StandardCharsets.UTF_8);
  }

  private String url;

  private String url() {
    return url != null ? url : "jdbc:sqlite:" + dir.resolve("demo.db");
  }

  /** The PostgreSQL of the test environment, without the demo's tables. */
  private static String emptiedPostgres() throws java.sql.SQLException {
    String pg = System.getenv().getOrDefault("SDB_TEST_POSTGRES_URL",
        "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg);
        java.sql.Statement st = c.createStatement()) {
      for (var m : DemoChain.schema().models()) {
        st.execute("DROP TABLE IF EXISTS \"" + m.name().toLowerCase() + "\"");
      }
      st.execute("DROP TABLE IF EXISTS sdb_change_set");
      st.execute("DROP TABLE IF EXISTS sdb_block");
    }
    return pg;
  }

  @Test
  void run_onPostgres_keepsItsLogWhereToldAndLeavesAConsistentChain() throws Exception {
    url = emptiedPostgres();
    Path wal = dir.resolve("pg-wal");
    Summary s = run("--blocks", "10", "--port", "0", "--url", url, "--block-interval", "0",
        "--wal", wal.toString());

    assertThat(s.finalHeight()).isEqualTo(10);
    assertThat(s.flushedHeight()).isEqualTo(10);
    assertThat(output()).contains("(postgres)");
    assertThat(wal).isDirectory();
    assertChain(10);
  }

  @Test
  void run_30Blocks_leavesBlocks0To30AndAConsistentStateInTheDatabase() {
    Summary s = run("--blocks", "30", "--port", "0", "--url", url(), "--block-interval", "0");

    assertThat(s.finalHeight()).isEqualTo(30);
    assertThat(s.flushedHeight()).isEqualTo(30);
    assertThat(s.blocks()).isEqualTo(30 + s.blocksUndone());
    assertThat(s.transfers()).isPositive();
    assertThat(s.failedContracts()).isPositive();
    assertThat(output()).contains("SDB demo node stopped after", "final height       30",
        "flushed height     30 (every block is in the database)", "HTTP API   http://127.0.0.1:");
    assertChain(30);
  }

  @Test
  void run_again_continuesTheChain() {
    run("--blocks", "10", "--port", "0", "--url", url(), "--block-interval", "0");
    Summary s = run("--blocks", "5", "--port", "0", "--url", url(), "--block-interval", "0");

    assertThat(s.finalHeight()).isEqualTo(15);
    assertThat(output()).contains("continuing at height 10 (1,000 accounts)");
    assertChain(15);
  }

  @Test
  void stopAndAwait_fromAnotherThread_stopsAfterTheBlockAndFlushes() throws Exception {
    DemoNode node = new DemoNode(DemoOptions.parse("--port", "0", "--url", url(),
        "--block-interval", "20"), new PrintStream(output, true, StandardCharsets.UTF_8));
    CompletableFuture<Summary> running = CompletableFuture.supplyAsync(node::run);
    while (node.status().height() < 3 && !running.isDone()) {
      Thread.sleep(10);
    }
    node.stopAndAwait(Duration.ofSeconds(10));

    Summary s = running.get(1, TimeUnit.SECONDS);
    assertThat(s.finalHeight()).isGreaterThanOrEqualTo(3).isEqualTo(s.flushedHeight());
    assertThat(node.status().flushedHeight()).isEqualTo(s.finalHeight());
    assertChain(s.finalHeight());
  }

  /**
   * The database holds blocks 0..height linked by their ids, and state that only a correct
   * sequence of commits and rollbacks produces: the Round rows count exactly the blocks and
   * transactions that survived, and the fees of those transactions are all the money that left
   * the accounts.
   */
  private void assertChain(long height) {
    SqlStateStore store = SqlStateStore.open(url());
    try (Sdb sdb = Sdb.builder().schema(DemoChain.schema()).store(store).manualFlush()
        .wal(dir.resolve("check-wal")).open()) {
      assertThat(sdb.lastHeight()).isEqualTo(height);
      SdbReader reader = store.reader();
      List<BlockHeader> blocks = reader.blocks(0, Long.MAX_VALUE / 2);
      assertThat(blocks).hasSize((int) height + 1);
      for (int h = 1; h < blocks.size(); h++) {
        assertThat(blocks.get(h).height()).isEqualTo(h);
        assertThat(blocks.get(h).prevBlockId()).isEqualTo(blocks.get(h - 1).id());
      }

      List<Map<String, Object>> rounds = reader.findAll(DemoChain.ROUND, Query.all());
      long roundBlocks = rounds.stream().mapToLong(r -> ((Number) r.get("blocks")).longValue())
          .sum();
      long roundTransactions = rounds.stream()
          .mapToLong(r -> ((Number) r.get("transactions")).longValue()).sum();
      assertThat(roundBlocks).isEqualTo(height);
      long transactions = reader.count(DemoChain.TRANSACTION, Map.of());
      assertThat(roundTransactions).isEqualTo(transactions).isPositive();
      assertThat(reader.count(DemoChain.TRANSFER, Map.of())).isEqualTo(reader.count(
          DemoChain.TRANSACTION, Map.of("type", Contracts.TYPE_TRANSFER)));
      assertThat(reader.count(DemoChain.TRANSFER, Map.of("height", Map.of("$gt", height))))
          .isZero();

      BigInteger balances = sdb.getAll(DemoChain.ACCOUNT).stream()
          .map(a -> (BigInteger) a.get("gny")).reduce(BigInteger.ZERO, BigInteger::add);
      BigInteger genesis = W1Workload.GENESIS_BALANCE.multiply(
          BigInteger.valueOf(BlockProducer.GENESIS_ACCOUNTS));
      assertThat(balances).isEqualTo(genesis.subtract(
          Contracts.FEE.multiply(BigInteger.valueOf(transactions))));
      assertThat(sdb.getAll(DemoChain.ACCOUNT).stream().filter(a -> a.get("username") != null)
          .count()).isEqualTo(reader.count(DemoChain.TRANSACTION,
              Map.of("type", Contracts.TYPE_SET_USER_NAME)));
    }
  }

  @Test
  void parse_acceptsBothFormsAndDefaults() {
    DemoOptions o = DemoOptions.parse("--blocks=30", "--duration", "5", "--port", "0",
        "--url", "jdbc:sqlite:x.db");
    assertThat(o.blocks()).isEqualTo(30);
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.port()).isZero();
    assertThat(o.url()).isEqualTo("jdbc:sqlite:x.db");

    DemoOptions d = DemoOptions.parse();
    assertThat(d.blocks()).isNull();
    assertThat(d.duration()).isNull();
    assertThat(d.url()).isNull();
    assertThat(d.port()).isEqualTo(8080);
    assertThat(d.host()).isEqualTo("127.0.0.1");
    assertThat(d.blockInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(DemoOptions.parse("--help").help()).isTrue();
  }

  @Test
  void parse_badOptions_nameTheOption() {
    assertThatThrownBy(() -> DemoOptions.parse("--blok", "3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option '--blok'");
    assertThatThrownBy(() -> DemoOptions.parse("--blocks", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--blocks must be positive");
    assertThatThrownBy(() -> DemoOptions.parse("--blocks", "many"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--blocks must be a whole number");
    assertThatThrownBy(() -> DemoOptions.parse("--port", "70000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--port must be between 0 and 65535");
    assertThatThrownBy(() -> DemoOptions.parse("--url", "demo.db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--url must be a JDBC URL");
    assertThatThrownBy(() -> DemoOptions.parse("--duration"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--duration needs a value");
    // values that would overflow the nanosecond clock or the target height
    assertThatThrownBy(() -> DemoOptions.parse("--duration", "9999999999999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--duration must be at most");
    assertThatThrownBy(() -> DemoOptions.parse("--block-interval", "9223372036854775807"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--block-interval must be at most");
    assertThatThrownBy(() -> DemoOptions.parse("--blocks", "9223372036854775807"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--blocks must be at most");
  }
}
