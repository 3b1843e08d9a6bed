package dev.sdb.examples.node;

import dev.sdb.Sdb;
import dev.sdb.SdbBuilder;
import dev.sdb.SdbException;
import dev.sdb.SdbStats;
import dev.sdb.examples.QuietLibraries;
import dev.sdb.examples.http.HttpApi;
import dev.sdb.examples.http.NodeStatus;
import dev.sdb.examples.w1.Mulberry32;
import dev.sdb.examples.w1.W1Workload;
import dev.sdb.sql.SqlStateStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The demo node: a small chain on SDB that produces blocks of transfers, lets some contracts fail
 * and rolls them back, forks now and then, shows its progress on one line and serves the HTTP read
 * API, until Ctrl-C (or {@code --blocks}/{@code --duration}). Run it from the repository with
 *
 * <pre>
 * mvn -q -B -pl sdb-examples -am package -Pdemo
 * mvn -q -B -pl sdb-examples -am package -Pdemo -Ddemo.args="--blocks 100 --port 0"
 * </pre>
 *
 * <p>The database is the embedded SQLite file {@code ./sdb-demo-data/demo.db} unless {@code --url}
 * names another; a second run continues the chain where the first stopped.
 *
 * <p><b>Threads.</b> The thread that calls {@link #run()} is the writer: it alone drives the
 * engine ({@link BlockProducer}). After each block it publishes a {@link NodeStatus} in a volatile
 * field; the HTTP API's threads read that and the database (through {@code SdbReader}), never the
 * engine. Ctrl-C runs a shutdown hook that asks the writer to stop after the block in progress and
 * waits while it stops the API, flushes every committed block, closes the engine and prints the
 * summary.
 */
public final class DemoNode {
  /** How long the shutdown hook waits for the writer to flush and print the summary. */
  static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

  private final DemoOptions options;
  private final PrintStream out;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean stopRequested;
  private volatile NodeStatus status = NodeStatus.EMPTY;

  DemoNode(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) {
    QuietLibraries.apply(); // the pools' start and stop messages would break the progress line
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("DemoNode: " + e.getMessage() + "\n");
      System.err.print(DemoOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(DemoOptions.USAGE);
      return;
    }
    DemoNode node = new DemoNode(options, System.out);
    CountDownLatch reported = new CountDownLatch(1); // so that Ctrl-C does not cut off the report
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.stopAndAwait(SHUTDOWN_WAIT);
      try {
        reported.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "demo-shutdown"));
    try {
      node.run();
    } catch (RuntimeException e) {
      System.err.println();
      if (e instanceof SdbException || e instanceof UncheckedIOException) {
        System.err.println("DemoNode failed: " + causes(e));
      } else {
        System.err.print("DemoNode failed: ");
        e.printStackTrace();
      }
      reported.countDown();
      System.exit(1);
    }
    reported.countDown();
  }

  /**
   * Runs the node on the calling thread until it is stopped ({@link #stop()}, Ctrl-C) or reaches
   * {@code --blocks} or {@code --duration}; then stops the API, flushes, closes and prints the
   * summary, which it also returns.
   */
  Summary run() {
    try {
      long started = System.nanoTime();
      String url = options.url() != null ? options.url() : defaultUrl();
      Totals totals = new Totals();
      SqlStateStore store = SqlStateStore.open(url);
      Sdb sdb;
      try {
        SdbBuilder builder = Sdb.builder().schema(DemoChain.schema()).store(store);
        Path wal = options.wal();
        if (wal == null && !url.startsWith("jdbc:sqlite:")) { // SQLite's default: beside the file
          wal = Path.of("sdb-demo-data", store.databaseKind() + "-"
              + Integer.toHexString(redact(url).hashCode()) + ".sdb-wal"); // one log per database
        }
        sdb = (wal == null ? builder : builder.wal(wal)).open();
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
      try (sdb) {
        boolean newChain = sdb.lastHeight() < 0;
        BlockProducer producer = BlockProducer.start(sdb, store.reader(),
            new Mulberry32((int) System.nanoTime()), totals);
        long startHeight = sdb.lastHeight();
        status = NodeStatus.of(sdb.stats());
        Progress progress = new Progress(out, totals);
        try (HttpApi api = HttpApi.start(store.reader(), () -> status,
            new InetSocketAddress(options.host(), options.port()))) {
          banner(url, store.databaseKind(), newChain, startHeight, producer.accounts(), api);
          long target = options.blocks() == null ? Long.MAX_VALUE
              : startHeight + options.blocks();
          long nextBlockAt = System.nanoTime();
          while (!stopRequested && sdb.lastHeight() < target && timeLeft(started)) {
            producer.next();
            SdbStats stats = sdb.stats();
            status = NodeStatus.of(stats);
            progress.update(stats, totals);
            nextBlockAt = pace(nextBlockAt);
          }
        } finally {
          progress.finish();
        }
        out.printf(Locale.ROOT, "stopping: HTTP API closed; flushing %,d pending blocks to the "
            + "database%n", sdb.stats().pendingBlocks());
        sdb.flush();
        status = NodeStatus.of(sdb.stats());
      }
      Summary summary = Summary.of(totals, sdb.lastHeight(), sdb.flushedHeight(),
          Duration.ofNanos(System.nanoTime() - started));
      out.print(summary.format());
      out.flush();
      return summary;
    } finally {
      done.countDown();
    }
  }

  /** Asks the writer to stop after the block in progress; returns at once. */
  void stop() {
    stopRequested = true;
  }

  /** {@link #stop()}, then waits until the writer has flushed and printed the summary. */
  void stopAndAwait(Duration timeout) {
    stop();
    try {
      if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.println("\nDemoNode: the writer did not stop within " + timeout.toSeconds()
            + " s; exiting without a summary");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until one block interval after {@code blockStarted} (not at all if that has passed: a
   * slow block is not made up for by a burst) and returns the start of the next block. Wakes up at
   * least every 50 ms to see whether it should stop.
   */
  private long pace(long blockStarted) {
    long interval = options.blockInterval().toNanos();
    long next = blockStarted + interval;
    long now;
    while (!stopRequested && (now = System.nanoTime()) - next < 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(next - now, 50_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
      }
    }
    return Math.max(next, System.nanoTime());
  }

  private boolean timeLeft(long started) {
    Duration d = options.duration();
    return d == null || System.nanoTime() - started < d.toNanos();
  }

  private void banner(String url, String kind, boolean newChain, long height, int accounts,
      HttpApi api) {
    String account = W1Workload.address(1);
    out.printf(Locale.ROOT, """
        SDB demo node
          database   %s (%s)
          chain      %s
          HTTP API   %s/status
                     /blocks/latest  /accounts/%s  /transfers?senderId=%s
          blocks     %d transactions each, %s
          stops      %s
        """, redact(url), kind,
        newChain ? String.format(Locale.ROOT, "new chain: genesis block with %,d accounts",
            accounts)
            : String.format(Locale.ROOT, "continuing at height %,d (%,d accounts)", height,
                accounts),
        api.uri(), account, account, BlockProducer.TRANSACTIONS_PER_BLOCK,
        options.blockInterval().isZero() ? "as fast as possible"
            : "a block every " + options.blockInterval().toMillis() + " ms", until());
    out.flush();
  }

  private String until() {
    StringBuilder s = new StringBuilder();
    if (options.blocks() != null) {
      s.append(String.format(Locale.ROOT, "after %,d blocks", options.blocks()));
    }
    if (options.duration() != null) {
      s.append(s.isEmpty() ? "after " : " or ").append(options.duration().toSeconds())
          .append(" s");
    }
    return s.isEmpty() ? "on Ctrl-C (then flushes and prints a summary)" : s + ", or on Ctrl-C";
  }

  /** The embedded default: {@code ./sdb-demo-data/demo.db}, the directory created if needed. */
  private static String defaultUrl() {
    Path dir = Path.of("sdb-demo-data").toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dir, e);
    }
    return "jdbc:sqlite:" + dir.resolve("demo.db");
  }

  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private static String causes(Throwable e) {
    StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      s.append("\n  caused by: ").append(c);
    }
    return s.toString();
  }

  /** The status the HTTP API shows: the writer's view after its last block. */
  NodeStatus status() {
    return status;
  }
}
