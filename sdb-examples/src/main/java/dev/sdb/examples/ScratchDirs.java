package dev.sdb.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary directories for one benchmark run (a SQLite file, a write-ahead log): deleted when the
 * run is done, and those still left when the JVM exits, so that repeated runs do not fill the disk.
 */
public final class ScratchDirs {
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ScratchDirs::deleteAll, "scratch-dirs"));
  }

  private ScratchDirs() {}

  /** A new, empty directory under the system's temporary directory. */
  public static Path create(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      LIVE.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory " + prefix + "*", e);
    }
  }

  /** Deletes a directory made by {@link #create} with everything in it; others are left alone. */
  public static void delete(Path dir) {
    if (!LIVE.remove(dir)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(dir)) {
      List<Path> deepestFirst = tree.sorted(Comparator.reverseOrder()).toList();
      for (Path p : deepestFirst) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }

  private static void deleteAll() {
    for (Path dir : List.copyOf(LIVE)) {
      delete(dir);
    }
  }
}
