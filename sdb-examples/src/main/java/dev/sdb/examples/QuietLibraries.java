package dev.sdb.examples;

/**
 * Keeps the libraries' banners and routine messages (jOOQ's logo and tips, every connection pool's
 * start and stop) out of the output of the demo and the benchmarks; warnings and errors still
 * show. Call it first in {@code main}, before any logger exists. A level set on the command line
 * ({@code -Dorg.slf4j.simpleLogger.log.com.zaxxer.hikari=info}) wins.
 */
public final class QuietLibraries {
  private QuietLibraries() {}

  public static void apply() {
    System.setProperty("org.jooq.no-logo", "true");
    System.setProperty("org.jooq.no-tips", "true");
    if (System.getProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
    }
  }
}
