package dev.sdb.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sdb.BlockHeader;
import dev.sdb.Sdb;
import dev.sdb.examples.QuickStart;
import dev.sdb.examples.docs.GuideSamples.Account;
import dev.sdb.examples.docs.GuideSamples.Slot;
import dev.sdb.examples.docs.GuideSamples.TourResult;
import dev.sdb.examples.docs.GuideSamples.Transfer;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import dev.sdb.sql.SqlStateStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the documentation honest. Every {@code java} block of {@code docs/*.md} and {@code
 * README.md} must occur verbatim (whitespace aside) in the compiled sample sources, so a sample
 * that no longer compiles breaks the build; the samples are also run here, and every {@code json}
 * block of the docs must equal JSON that SDB produced while they ran.
 *
 * <p>Paths are relative to the module directory, which Maven uses as the working directory.
 */
class DocsSamplesTest {
  private static final Path DOCS = Path.of("..", "docs");
  private static final Path README = Path.of("..", "README.md");
  private static final Path SAMPLES = Path.of("src", "test", "java", "dev", "sdb", "examples",
      "docs");
  private static final Path QUICK_START = Path.of("src", "main", "java", "dev", "sdb", "examples",
      "QuickStart.java");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  // ------------------------------------------------------------------ the text

  @Test
  void everyJavaBlockOfTheDocsIsCompiledSampleCode() throws IOException {
    List<String> sources = new ArrayList<>();
    try (Stream<Path> files = Files.list(SAMPLES)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        sources.add(normalise(Files.readString(p)));
      }
    }
    sources.add(normalise(Files.readString(QUICK_START)));

    Map<String, List<String>> blocks = javaBlocksByFile();
    assertThat(blocks.keySet()).as("documents with java samples")
        .contains("README.md", "guide.md", "operations.md");
    List<String> missing = new ArrayList<>();
    int count = 0;
    for (Map.Entry<String, List<String>> e : blocks.entrySet()) {
      for (String block : e.getValue()) {
        count++;
        String text = normalise(block);
        if (sources.stream().noneMatch(s -> s.contains(text))) {
          missing.add(e.getKey() + ":\n" + block);
        }
      }
    }
    assertThat(count).as("java blocks found").isGreaterThan(15);
    assertThat(missing).as("java blocks of the docs that are not in the compiled samples under "
        + SAMPLES + " or in " + QUICK_START).isEmpty();
  }

  private static Map<String, List<String>> javaBlocksByFile() throws IOException {
    Map<String, List<String>> blocks = new LinkedHashMap<>();
    blocks.put("README.md", fencedBlocks(Files.readString(README), "java"));
    for (Path doc : markdownDocs()) {
      blocks.put(doc.getFileName().toString(), fencedBlocks(Files.readString(doc), "java"));
    }
    blocks.values().removeIf(List::isEmpty);
    return blocks;
  }

  private static List<Path> markdownDocs() throws IOException {
    try (Stream<Path> files = Files.list(DOCS)) {
      return files.filter(f -> f.toString().endsWith(".md")).sorted().toList();
    }
  }

  /** The contents of the fenced blocks of {@code language} (```language ... ```). */
  static List<String> fencedBlocks(String markdown, String language) {
    List<String> blocks = new ArrayList<>();
    StringBuilder current = null;
    for (String line : markdown.split("\n", -1)) {
      String t = line.strip();
      if (current == null) {
        if (t.equals("```" + language)) {
          current = new StringBuilder();
        }
      } else if (t.equals("```")) {
        blocks.add(current.toString());
        current = null;
      } else {
        current.append(line).append('\n');
      }
    }
    if (current != null) {
      throw new IllegalStateException("unterminated ```" + language + " block");
    }
    return blocks;
  }

  static String normalise(String code) {
    return code.replaceAll("\\s+", " ").trim();
  }

  // ------------------------------------------------------------------ README / QuickStart

  @Test
  void quickStartRunsAndEndsWhereTheReadmeSays() {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      QuickStart.main(new String[0]);
    } finally {
      System.setOut(old);
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).contains(
        "[Account[address=alice, gny=100], Account[address=bob, gny=0]]");
  }

  // ------------------------------------------------------------------ guide.md

  @Test
  void annotatedAndBuiltModelsAreTheSameSchema() {
    assertThat(ModelSchema.of(Account.class)).isEqualTo(GuideSamples.accountBuilt());
    assertThat(ModelSchema.of(Slot.class)).isEqualTo(GuideSamples.slotBuilt());
    assertThat(ModelSchema.of(Transfer.class).maxCached()).isEqualTo(10_000);
    assertThat(GuideSamples.schema().model("Balance").maxCached())
        .isEqualTo(ModelSchema.DEFAULT_MAX_CACHED).isEqualTo(50_000);
  }

  @Test
  void theGuideTourRuns() throws Exception {
    TourResult r = GuideSamples.tour(dir);

    assertThat(Files.isDirectory(dir.resolve("node.db.sdb-wal"))).as("default log directory")
        .isTrue();
    assertThat(r.duplicateMessage()).isEqualTo("Slot{round=1, delegate=bob}.(round, position): "
        + "unique key (round, position)=[1, 0] already exists (held by {round=1, delegate=alice})");
    assertThat(r.bobsTransfers()).containsExactly(
        new Transfer("tx-1", "alice", "bob", BigInteger.valueOf(100), 1));
    assertThat(r.servedHeight()).isEqualTo("2");
    assertThat(r.heightAfterFork()).isEqualTo(3);
    assertThat(r.blockId3()).isEqualTo("block-3b");
    assertThat(r.flushedAfterClose()).isEqualTo(3);

    Map<String, Object> calls = r.readerCalls();
    assertThat(calls.get("recent")).isEqualTo(1L);
    assertThat(calls.get("any")).isEqualTo(false);
    assertThat(calls.get("flushed")).isEqualTo(2L);
    assertThat(calls.get("named")).isEqualTo(List.of(Map.of("address", "alice",
        "username", "alice")));
    assertThat(((List<?>) calls.get("range"))).hasSize(3);
    assertThat(((java.util.Optional<?>) calls.get("second")).map(h -> ((BlockHeader) h).id()))
        .contains("block-2");

    // For whoever updates the docs: what the tour produced, pretty-printed.
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "guide-tour-deltas.json"), JSON
        .writerWithDefaultPrettyPrinter().writeValueAsString(producedByHeight(r.feed())));

    // block 1: tx-2 failed and left nothing; the JSON in the guide is what SDB wrote
    assertThat(JSON.readTree(r.feed().get(1L))).hasSize(3);
    List<JsonNode> produced = producedJson(r.feed());
    int jsonBlocks = 0;
    for (Path doc : markdownDocs()) {
      for (String block : fencedBlocks(Files.readString(doc), "json")) {
        jsonBlocks++;
        assertThat(produced).as("a json block of " + doc.getFileName() + " must be JSON that "
            + "the guide tour produced (a block's deltas or one delta); it is:\n" + block
            + "\nthe tour produced:\n" + r.feed()).contains(JSON.readTree(block));
      }
    }
    assertThat(jsonBlocks).as("json blocks found in the docs").isPositive();
  }

  private static Map<Long, JsonNode> producedByHeight(Map<Long, String> feed) throws IOException {
    Map<Long, JsonNode> byHeight = new java.util.TreeMap<>();
    for (Map.Entry<Long, String> e : feed.entrySet()) {
      byHeight.put(e.getKey(), JSON.readTree(e.getValue()));
    }
    return byHeight;
  }

  /** Each block's delta array, and each single delta. */
  private static List<JsonNode> producedJson(Map<Long, String> feed) throws IOException {
    List<JsonNode> all = new ArrayList<>();
    for (String json : feed.values()) {
      JsonNode array = JSON.readTree(json);
      all.add(array);
      array.forEach(all::add);
    }
    return all;
  }

  // ------------------------------------------------------------------ operations.md

  @Test
  void theOperationsSamplesRun() throws Exception {
    Schema schema = GuideSamples.schema();
    Path dbFile = dir.resolve("ops.db");
    try (Sdb sdb = OperationsSamples.openWithDefaults(schema, dbFile)) {
      GuideSamples.genesis(sdb);
      assertThat(Files.isDirectory(Path.of(dbFile + ".sdb-wal"))).isTrue();
      assertThat(OperationsSamples.statsLine(sdb))
          .isEqualTo("height=0 flushed=-1 pending=1 hitRate=1.000 pinned=0 flushes=0 failed=0");

      Path backup = dir.resolve("backup.db");
      OperationsSamples.backup(sdb, dbFile, backup);
      assertThat(OperationsSamples.statsLine(sdb)).startsWith("height=0 flushed=0 pending=0");
      try (SqlStateStore copy = SqlStateStore.open("jdbc:sqlite:" + backup)) {
        try (Sdb restored = Sdb.builder().schema(schema).store(copy).noWal().open()) {
          assertThat(restored.lastHeight()).isZero();
          assertThat(restored.getAll(Account.class)).hasSize(2);
          String json = OperationsSamples.historyJson(copy.reader(), 0).orElseThrow();
          assertThat(JSON.readTree(json)).hasSize(2);
          assertThat(OperationsSamples.historyJson(copy.reader(), 1)).isEmpty();
        }
      }
    }

    AtomicLong gauge = new AtomicLong(-1);
    try (Sdb sdb = OperationsSamples.openWithFlushGauge(schema,
        SqlStateStore.open("jdbc:sqlite:" + dir.resolve("gauge.db")), gauge)) {
      GuideSamples.genesis(sdb);
      sdb.flush();
      assertThat(gauge.get()).isZero();
    }

    try (Sdb sdb = OperationsSamples.openWithGroupCommit(schema,
        SqlStateStore.open("jdbc:sqlite:" + dir.resolve("group.db")))) {
      GuideSamples.genesis(sdb);
    }

    try (Sdb sdb = OperationsSamples.openForTool(schema,
        SqlStateStore.open("jdbc:sqlite:" + dir.resolve("tool.db")))) {
      GuideSamples.genesis(sdb);
      assertThat(sdb.stats().pendingBlocks()).isEqualTo(1);
      assertThat(Files.exists(dir.resolve("tool.db.sdb-wal"))).isFalse();
    }

    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (Sdb sdb = OperationsSamples.openOnScheduler(schema,
        SqlStateStore.open("jdbc:sqlite:" + dir.resolve("scheduled.db")), scheduler)) {
      GuideSamples.genesis(sdb);
    } finally {
      scheduler.shutdown();
    }
  }
}
