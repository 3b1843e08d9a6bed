package dev.sdb;

import dev.sdb.sql.SqlStateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * The process that {@link CrashTest} kills: it opens the database (and its log), then produces
 * blocks of the test scenario forever, with background flushes, explicit flushes and rollbacks,
 * announcing each step on stdout before and after it so the killer knows what may have happened.
 *
 * <p>Args: JDBC URL, log directory or "none", run seed.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String wal = args[1];
    long runSeed = Long.parseLong(args[2]);
    SdbBuilder b = Sdb.builder().schema(TestModels.schema()).store(SqlStateStore.open(url))
        .flushInterval(Duration.ofMillis(30));
    Sdb sdb = (wal.equals("none") ? b.noWal() : b.wal(Path.of(wal))).open();
    if (sdb.lastHeight() < 0) {
      say("COMMITTING 0 0");
      Scenario.genesis(sdb);
      say("COMMITTED 0");
    }
    say("READY " + sdb.lastHeight());
    Random rnd = new Random(runSeed);
    while (true) {
      long last = sdb.lastHeight();
      int dice = rnd.nextInt(20);
      if (dice == 0 && last > 2) {
        long to = last - 1 - rnd.nextInt(3);
        say("ROLLINGBACK " + to);
        sdb.rollbackBlock(to);
        say("ROLLEDBACK " + to);
        continue;
      }
      if (dice == 1) {
        say("FLUSHING");
        sdb.flush();
        say("FLUSHED");
      }
      long h = last + 1;
      long seed = runSeed * 31 + h;
      Scenario.runBlock(sdb, h, seed, () -> say("COMMITTING " + h + " " + seed));
      say("COMMITTED " + h);
      Thread.sleep(2);
    }
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
