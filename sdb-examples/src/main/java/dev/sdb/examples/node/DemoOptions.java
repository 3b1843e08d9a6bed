package dev.sdb.examples.node;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The demo node's command line, parsed and validated; a bad option is an {@link
 * IllegalArgumentException} whose message names it. Both {@code --blocks 30} and {@code
 * --blocks=30} work.
 *
 * @param blocks stop after this many blocks on top of the height the node started at; null: no limit
 * @param duration stop after this long; null: no limit
 * @param url the database's JDBC URL; null: the embedded SQLite file {@code
 *     ./sdb-demo-data/demo.db}
 * @param host the interface the HTTP API listens on
 * @param port the HTTP API's port; 0 picks a free one
 * @param blockInterval the time from the start of one block to the start of the next; zero:
 *     as fast as the machine goes
 * @param wal the write-ahead log's directory; null: beside an SQLite file, {@code
 *     ./sdb-demo-data/<database>-<hash of the URL>.sdb-wal} for PostgreSQL and MariaDB
 */
record DemoOptions(@Nullable Long blocks, @Nullable Duration duration, @Nullable String url,
    String host, int port, Duration blockInterval, @Nullable Path wal, boolean help) {

  static final String USAGE = """
      usage: DemoNode [--blocks N] [--duration SECONDS] [--url JDBC_URL] [--port P] [--host H]
                      [--block-interval MS] [--wal DIR]

      Produces blocks of transfers on SDB, with failing contracts and forks, shows progress on one
      line and serves the HTTP read API. Runs until Ctrl-C unless --blocks or --duration is given;
      on stop it flushes every block to the database and prints a summary.

        --blocks N          stop after N blocks (counted from the height the node starts at)
        --duration SECONDS  stop after this many seconds
        --url JDBC_URL      the database (default: jdbc:sqlite:./sdb-demo-data/demo.db;
                            also jdbc:postgresql://... or jdbc:mariadb://...)
        --port P            HTTP port (default 8080; 0 picks a free port)
        --host H            HTTP interface (default 127.0.0.1; 0.0.0.0 for every interface)
        --block-interval MS time between block starts (default 100: 10 blocks, 1,000
                            transactions a second; 0: as fast as possible, which writes
                            about 1 MB per 1,000 transactions to the database)
        --wal DIR           the write-ahead log's directory (default: beside the SQLite
                            file; ./sdb-demo-data/<database>-<hash>.sdb-wal for a server,
                            one per URL)
        --help              this text

      Through Maven: mvn -q -B -pl sdb-examples -am package -Pdemo -Ddemo.args="--blocks 100"
      """;

  static final int DEFAULT_PORT = 8080;
  static final String DEFAULT_HOST = "127.0.0.1";
  static final Duration DEFAULT_BLOCK_INTERVAL = Duration.ofMillis(100);

  static DemoOptions parse(String... args) {
    Long blocks = null;
    Duration duration = null;
    String url = null;
    String host = DEFAULT_HOST;
    int port = DEFAULT_PORT;
    Duration blockInterval = DEFAULT_BLOCK_INTERVAL;
    Path wal = null;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (name.equals("--help") || name.equals("-h")) {
        help = true;
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(known(name) + " needs a value");
        }
        value = args[++i];
      }
      switch (known(name)) {
        case "--blocks" -> blocks = atMost(name, positive(name, value), MAX_BLOCKS);
        case "--duration" -> duration = Duration.ofSeconds(
            atMost(name, positive(name, value), MAX_DURATION_SECONDS));
        case "--url" -> url = url(value);
        case "--port" -> port = port(value);
        case "--host" -> host = nonBlank(name, value);
        case "--block-interval" -> blockInterval = Duration.ofMillis(
            atMost(name, nonNegative(name, value), MAX_BLOCK_INTERVAL_MS));
        case "--wal" -> wal = Path.of(nonBlank(name, value));
        default -> throw new AssertionError(name);
      }
    }
    return new DemoOptions(blocks, duration, url, host, port, blockInterval, wal, help);
  }

  private static String known(String name) {
    return switch (name) {
      case "--blocks", "--duration", "--url", "--port", "--host", "--block-interval", "--wal" ->
          name;
      default -> throw new IllegalArgumentException("unknown option '" + name + "'");
    };
  }

  /** Bounds that keep heights and nanosecond clocks far from overflowing. */
  static final long MAX_BLOCKS = 1_000_000_000_000L;
  static final long MAX_DURATION_SECONDS = 100L * 365 * 24 * 3600;
  static final long MAX_BLOCK_INTERVAL_MS = 24L * 3600 * 1000;

  private static long atMost(String name, long n, long max) {
    if (n > max) {
      throw new IllegalArgumentException(name + " must be at most " + max + ", got " + n);
    }
    return n;
  }

  private static long positive(String name, String value) {
    long n = number(name, value);
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be positive, got " + n);
    }
    return n;
  }

  private static long nonNegative(String name, String value) {
    long n = number(name, value);
    if (n < 0) {
      throw new IllegalArgumentException(name + " must not be negative, got " + n);
    }
    return n;
  }

  private static long number(String name, String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
    }
  }

  private static int port(String value) {
    int p;
    try {
      p = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port must be a number, got '" + value + "'");
    }
    if (p < 0 || p > 65_535) {
      throw new IllegalArgumentException("--port must be between 0 and 65535, got " + p);
    }
    return p;
  }

  private static String url(String value) {
    if (!value.startsWith("jdbc:")) {
      throw new IllegalArgumentException("--url must be a JDBC URL (jdbc:sqlite:..., "
          + "jdbc:postgresql://..., jdbc:mariadb://...), got '" + value + "'");
    }
    return value;
  }

  private static String nonBlank(String name, String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value.strip();
  }
}
