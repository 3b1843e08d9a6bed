package dev.sdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sdb.sql.SqlStateStore;
import dev.sdb.sql.TestDatabases;
import dev.sdb.store.MemoryStateStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real crashes: a child JVM ({@link CrashChild}) runs the scenario against a database and its log
 * and is killed with SIGKILL at random moments (between blocks, inside contracts, while committing
 * and appending to the log, while flushing, while rolling back). After each kill this process opens
 * the same files and checks: the state equals exactly the chain up to the last block whose
 * commitBlock returned (or the one being committed, if the kill came after the log append); with
 * the log off, exactly the last flushed block; the database itself holds whole blocks only;
 * balances are conserved; rows are counted.
 */
class CrashTest {
  private static final int SQLITE_KILLS = Integer.getInteger("sdb.crash.kills", 50);
  private static final int SERVER_KILLS = Integer.getInteger("sdb.crash.serverKills", 10);

  @Test
  void sqlite_withLog_survivesRandomKills() throws Exception {
    String url = TestDatabases.SQLITE.freshUrl();
    run(url, Files.createTempDirectory("sdb-crash-wal"), SQLITE_KILLS);
  }

  @Test
  void postgres_withLog_survivesRandomKills() throws Exception {
    run(TestDatabases.POSTGRES.freshUrl(), Files.createTempDirectory("sdb-crash-wal"),
        SERVER_KILLS);
  }

  @Test
  void sqlite_withoutLog_recoversTheLastFlush() throws Exception {
    run(TestDatabases.SQLITE.freshUrl(), null, SERVER_KILLS);
  }

  /** What the child announced: the seed of every block of its chain, and what was in flight. */
  private static final class Chain {
    final TreeMap<Long, Long> seeds = new TreeMap<>();
    long committed = -1;
    Long committing;
    Long committingSeed;
    Long rollingBackTo;
    final java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>();

    void line(String line) {
      recent.addLast(line);
      if (recent.size() > 12) {
        recent.removeFirst();
      }
      String[] p = line.split(" ");
      switch (p[0]) {
        case "COMMITTING" -> {
          committing = Long.parseLong(p[1]);
          committingSeed = Long.parseLong(p[2]);
        }
        case "COMMITTED" -> {
          long h = Long.parseLong(p[1]);
          seeds.put(h, committingSeed);
          committed = h;
          committing = null;
        }
        case "ROLLINGBACK" -> rollingBackTo = Long.parseLong(p[1]);
        case "ROLLEDBACK" -> {
          long to = Long.parseLong(p[1]);
          seeds.tailMap(to, false).clear();
          committed = to;
          rollingBackTo = null;
        }
        default -> { }
      }
    }

    /** Heights the recovered state may have: what the kill may or may not have completed. */
    List<Long> allowed(boolean log) {
      List<Long> heights = new ArrayList<>();
      heights.add(committed);
      if (committing != null) {
        heights.add(committing);
      }
      if (rollingBackTo != null) {
        heights.add(rollingBackTo);
      }
      return heights;
    }
  }

  private void run(String url, Path wal, int kills) throws Exception {
    Chain chain = new Chain();
    Random random = new Random(2026);
    int survived = 0;
    Map<String, Integer> moments = new TreeMap<>();
    for (int kill = 0; kill < kills; kill++) {
      String target = switch (random.nextInt(10)) {
        case 0, 1 -> "FLUSHING";
        case 2, 3 -> "ROLLINGBACK";
        case 4 -> "COMMITTING";
        default -> "";
      };
      boolean hit = killChildAt(url, wal, random.nextLong(), target, 20 + random.nextInt(250),
          chain);
      moments.merge(target.isEmpty() || !hit ? "random moment" : "while " + target.toLowerCase(),
          1, Integer::sum);
      verify(url, wal, chain); // (throws if the recovered state is not an allowed one)
      survived++;
    }
    System.out.printf("CrashTest %s, log %s: survived %d of %d SIGKILLs %s%n",
        url.split(":")[1], wal == null ? "off" : "on", survived, kills, moments);
    for (String moment : List.of("while flushing", "while rollingback", "while committing")) {
      assertThat(moments.getOrDefault(moment, 0)).as("kills that landed %s (else that moment "
          + "went untested): %s", moment, moments).isPositive();
    }
  }

  /** Returns whether the kill came right after the child announced {@code target}. */
  private static boolean killChildAt(String url, Path wal, long seed, String target, int delayMs,
      Chain chain) throws Exception {
    boolean hit = false;
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
        "-Dorg.jooq.no-logo=true", "-Dorg.jooq.no-tips=true",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), url,
        wal == null ? "none" : wal.toString(), Long.toString(seed))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    long deadline = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      boolean targetSeen = target.isEmpty();
      while ((line = out.readLine()) != null) {
        chain.line(line);
        if (line.startsWith("READY")) {
          deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
        }
        if (!targetSeen && line.startsWith(target) && deadline != 0) {
          targetSeen = true;
          hit = true;
          Thread.sleep(new Random(seed).nextInt(3));
          break;
        }
        if (deadline != 0 && System.nanoTime() > deadline && (targetSeen
            || System.nanoTime() > deadline + TimeUnit.SECONDS.toNanos(3))) {
          break;
        }
      }
      child.toHandle().destroyForcibly(); // SIGKILL, keeping our end of its stdout readable
      child.waitFor(30, TimeUnit.SECONDS);
      while ((line = out.readLine()) != null) { // what it said before it died
        chain.line(line);
      }
    } catch (IOException e) {
      child.destroyForcibly();
      throw e;
    }
    assertThat(child.exitValue()).as("the child was killed, it did not fail").isEqualTo(137);
    return hit;
  }

  private static void verify(String url, Path wal, Chain chain) {
    SqlStateStore store = SqlStateStore.open(url);
    long flushed;
    Sdb sdb;
    SdbBuilder b = Sdb.builder().schema(TestModels.schema()).store(store).manualFlush();
    sdb = (wal == null ? b.noWal() : b.wal(wal)).open();
    flushed = store.flushedHeight();
    long recovered = sdb.lastHeight();
    if (wal == null) {
      assertThat(recovered).as("log off: the last flushed block").isEqualTo(flushed)
          .isLessThanOrEqualTo(Math.max(chain.committed, chain.committing == null ? -1
              : chain.committing));
    } else {
      assertThat(chain.allowed(true)).as("recovered height after " + chain.recent)
          .contains(recovered);
    }
    if (chain.committing != null && recovered == chain.committing) {
      chain.seeds.put(recovered, chain.committingSeed);
    }
    chain.seeds.tailMap(recovered, false).clear();
    chain.committed = recovered;
    chain.committing = null;
    chain.rollingBackTo = null;

    Sdb expected = expectedChain(chain, recovered);
    long maxHeight = chain.seeds.isEmpty() ? 0 : chain.seeds.lastKey();
    assertThat(Scenario.dump(sdb, maxHeight)).isEqualTo(Scenario.dump(expected, maxHeight));
    assertThat(Scenario.totalBalance(sdb)).isEqualTo(java.math.BigInteger.valueOf(
        Scenario.ACCOUNTS * 1000L));

    Sdb expectedFlushed = expectedChain(chain, flushed);
    MemoryStateStore expectedStore = new MemoryStateStore();
    Sdb e2 = TestModels.open(expectedStore);
    if (flushed >= 0) {
      Scenario.genesis(e2);
      for (long h = 1; h <= flushed; h++) {
        Scenario.runBlock(e2, h, chain.seeds.get(h), () -> { });
      }
      e2.flush();
    }
    Map<String, String> dbDump = Scenario.storeDump(store, sdb);
    assertThat(dbDump).as("the database holds exactly the blocks up to " + flushed)
        .isEqualTo(Scenario.storeDump(expectedStore, expectedFlushed));
    sdb.close(); // flushes the replayed blocks: the next child starts from here
  }

  private static Sdb expectedChain(Chain chain, long height) {
    Sdb sdb = TestModels.open(new MemoryStateStore());
    if (height >= 0) {
      Scenario.genesis(sdb);
      for (long h = 1; h <= height; h++) {
        Scenario.runBlock(sdb, h, chain.seeds.get(h), () -> { });
      }
    }
    return sdb;
  }
}
