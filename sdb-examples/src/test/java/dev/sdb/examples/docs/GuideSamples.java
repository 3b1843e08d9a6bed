package dev.sdb.examples.docs;

import com.sun.net.httpserver.HttpServer;
import dev.sdb.BlockHeader;
import dev.sdb.ChangeSet;
import dev.sdb.Created;
import dev.sdb.DuplicateKeyException;
import dev.sdb.Sdb;
import dev.sdb.SdbListener;
import dev.sdb.schema.ColumnType;
import dev.sdb.schema.Id;
import dev.sdb.schema.Indexed;
import dev.sdb.schema.Model;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Property;
import dev.sdb.schema.Schema;
import dev.sdb.schema.Unique;
import dev.sdb.sql.Query;
import dev.sdb.sql.SdbReader;
import dev.sdb.sql.SqlStateStore;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The code of {@code docs/guide.md}. Every {@code java} block of the guide is copied verbatim from
 * this file ({@link DocsSamplesTest} checks it), and {@link #tour} runs the samples in the order
 * the guide tells them, against a temporary SQLite database.
 */
public final class GuideSamples {
  private GuideSamples() {}

  // ------------------------------------------------------------------ 1. declare a model

  @Model(memory = true)
  public record Account(
      @Id @Property(maxLength = 50) String address,
      @Unique @Property(maxLength = 20, nullable = true) String username,
      @Property(defaultValue = "0") BigInteger gny,
      @Property(defaultValue = "false") boolean delegate) {}

  /** The same model as {@link Account}, built by hand. */
  static ModelSchema accountBuilt() {
    ModelSchema account = ModelSchema.builder("Account").memory()
        .string("address", 50)
        .string("username", 20).nullable().unique()
        .column("gny", ColumnType.BIG_INTEGER).defaultValue(0)
        .column("delegate", ColumnType.BOOLEAN).defaultValue(false)
        .primaryKey("address")
        .build();
    return account;
  }

  // ------------------------------------------------------------------ 2. keys and indexes

  @Model(maxCached = 10_000, indexes = @Model.Columns({"senderId", "height"}))
  public record Transfer(
      @Id @Property(maxLength = 64) String tid,
      @Indexed @Property(maxLength = 50) String senderId,
      @Indexed @Property(maxLength = 50) String recipientId,
      BigInteger amount,
      @Indexed long height) {}

  @Model
  public record Balance(
      @Id @Property(maxLength = 50) String address,
      @Id @Property(maxLength = 20) String currency,
      @Property(defaultValue = "0") BigInteger amount) {}

  @Model(uniqueKeys = @Model.Columns({"round", "position"}))
  public record Slot(
      @Id long round,
      @Id @Property(maxLength = 50) String delegate,
      int position) {}

  @Model
  public record Transaction(
      @Id @Property(maxLength = 64) String id,
      @Property(maxLength = 50) String senderId,
      @Property(json = true, nullable = true) String args,
      @Property(nullable = true) byte[] signature,
      long height) {}

  /** The same model as {@link Slot}, built by hand. */
  static ModelSchema slotBuilt() {
    ModelSchema slot = ModelSchema.builder("Slot")
        .column("round", ColumnType.LONG)
        .string("delegate", 50)
        .column("position", ColumnType.INT)
        .primaryKey("round", "delegate")
        .uniqueKey("round", "position")
        .build();
    return slot;
  }

  static Schema schema() {
    Schema schema = Schema.of(Account.class, Transfer.class, Balance.class, Slot.class,
        Transaction.class);
    return schema;
  }

  // ------------------------------------------------------------------ 3. open SDB

  /** The engine and the reader of one node. */
  record Node(Sdb sdb, SqlStateStore store, SdbReader reader) {}

  static Node open(Path dataDir, Schema schema) {
    SqlStateStore store = SqlStateStore.open("jdbc:sqlite:" + dataDir.resolve("node.db"));
    Sdb sdb = Sdb.builder().schema(schema).store(store).open();
    SdbReader reader = store.reader();
    return new Node(sdb, store, reader);
  }

  /** Like {@link #open}, with a listener that keeps every committed block's deltas as JSON. */
  static Node openWithFeed(Path dataDir, Schema schema, Map<Long, String> feed) {
    SqlStateStore store = SqlStateStore.open("jdbc:sqlite:" + dataDir.resolve("node.db"));
    Sdb sdb = Sdb.builder().schema(schema).store(store)
        .listener(new SdbListener() {
          @Override
          public void blockCommitted(ChangeSet changeSet) {
            feed.put(changeSet.height(), changeSet.deltasJson());
          }
        })
        .open();
    return new Node(sdb, store, store.reader());
  }

  static void genesis(Sdb sdb) {
    if (sdb.lastHeight() < 0) {
      sdb.beginBlock(new BlockHeader(0, "genesis", null, 0));
      sdb.create(new Account("alice", null, BigInteger.valueOf(1_000), false));
      sdb.create(new Account("bob", null, BigInteger.ZERO, false));
      sdb.commitBlock();
    }
  }

  // ------------------------------------------------------------------ 4. use it from a contract

  /** basic.transfer: moves {@code amount} from sender to recipient and records the Transfer. */
  static void transfer(Sdb sdb, String txId, String sender, String recipient, BigInteger amount) {
    sdb.lock("basic.transfer@" + txId);
    Map<String, Object> left = sdb.increase(Account.class, Map.of("gny", amount.negate()),
        Map.of("address", sender));
    if (((BigInteger) left.get("gny")).signum() < 0) {
      throw new IllegalStateException(sender + " cannot pay " + amount);
    }
    sdb.increase(Account.class, Map.of("gny", amount), Map.of("address", recipient));
    long height = sdb.currentBlock().orElseThrow().height();
    sdb.create(new Transfer(txId, sender, recipient, amount, height));
  }

  record Tx(String id, String sender, String recipient, BigInteger amount) {}

  /** The executor: one contract per transaction; a failed one leaves no trace. */
  static long executeBlock(Sdb sdb, String blockId, String prevId, long timestamp, List<Tx> txs) {
    sdb.beginBlock(new BlockHeader(sdb.lastHeight() + 1, blockId, prevId, timestamp));
    for (Tx tx : txs) {
      sdb.beginContract();
      try {
        transfer(sdb, tx.id(), tx.sender(), tx.recipient(), tx.amount());
        sdb.commitContract();
      } catch (RuntimeException e) {
        sdb.rollbackContract(); // undoes the contract's changes and releases its locks
      }
    }
    return sdb.commitBlock();
  }

  /** The other writes, in block 2 of the tour. */
  static String otherWrites(Sdb sdb) {
    sdb.beginBlock(new BlockHeader(2, "block-2", "block-1", 20));

    sdb.update(Account.class, Map.of("username", "alice"), Map.of("address", "alice"));
    sdb.update(Account.class, Map.of("delegate", true), Map.of("username", "alice"));

    Created<Map<String, Object>> usd = sdb.createOrLoad("Balance",
        Map.of("address", "alice", "currency", "USD"));
    sdb.increase("Balance", Map.of("amount", "250"), Map.of("address", "alice", "currency", "USD"));

    sdb.create("Transaction", Map.of("id", "tx-3", "senderId", "alice",
        "args", List.of("250", "USD"), "signature", new byte[] {1, 2, 3}, "height", 2L));

    sdb.create("Slot", Map.of("round", 1L, "delegate", "alice", "position", 0));
    String message = null;
    try {
      sdb.create("Slot", Map.of("round", 1L, "delegate", "bob", "position", 0));
    } catch (DuplicateKeyException e) {
      message = e.getMessage(); // nothing changed; the block goes on
    }

    sdb.del("Balance", Map.of("address", "alice", "currency", "USD"));

    sdb.commitBlock();
    if (!usd.created()) {
      throw new AssertionError("the Balance should have been created");
    }
    return message;
  }

  /** Reads inside a contract see the writer's latest state. */
  static void reads(Sdb sdb) {
    Account alice = sdb.get(Account.class, Map.of("address", "alice")).orElseThrow();
    Optional<Transfer> first = sdb.load(Transfer.class, Map.of("tid", "tx-1"));
    boolean named = sdb.has(Account.class, Map.of("username", "alice"));
    List<Account> accounts = sdb.getAll(Account.class);

    if (!alice.delegate() || first.isEmpty() || !named || accounts.size() != 2) {
      throw new AssertionError("reads: " + alice + " " + first + " " + named + " " + accounts);
    }
  }

  // ------------------------------------------------------------------ 5. read it from an HTTP handler

  /** GET /accounts/{address}/transfers?page=N: newest first, 20 a page. */
  static List<Transfer> transfersOf(SdbReader reader, String address, int page) {
    return reader.findAll(Transfer.class, Query.where(Map.of("$or", List.of(
            Map.of("senderId", address), Map.of("recipientId", address))))
        .orderBy("height", Query.Order.DESC).orderBy("tid", Query.Order.ASC)
        .limit(20).offset(20 * page));
  }

  static Map<String, Object> readerCalls(SdbReader reader) {
    Optional<Map<String, Object>> alice = reader.findOne("Account", Map.of("address", "alice"));
    long recent = reader.count("Transfer", Map.of("height", Map.of("$gte", 1, "$lte", 100)));
    boolean any = reader.exists("Transfer", Map.of("senderId", Map.of("$in", List.of("bob", "carol"))));
    List<Map<String, Object>> named = reader.findAll("Account",
        Query.where(Map.of("username", Map.of("$null", false), "address", Map.of("$like", "a%")))
            .fields("address", "username"));

    Optional<BlockHeader> latest = reader.lastBlock();
    Optional<BlockHeader> second = reader.blockByHeight(2);
    List<BlockHeader> range = reader.blocks(0, 10);
    long flushed = reader.flushedHeight();

    return Map.of("alice", alice, "recent", recent, "any", any, "named", named, "latest", latest,
        "second", second, "range", range, "flushed", flushed);
  }

  static HttpServer serve(SdbReader reader) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/height", exchange -> {
      byte[] body = Long.toString(reader.flushedHeight()).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    return server;
  }

  // ------------------------------------------------------------------ 6. roll back

  static void dropBlockInProgress(Sdb sdb) {
    sdb.beginBlock(new BlockHeader(sdb.lastHeight() + 1, "doomed", "block-2", 30));
    sdb.increase(Account.class, Map.of("gny", 1), Map.of("address", "bob"));
    sdb.rollbackBlock(); // drops the block in progress: its changes and its locks
  }

  record Block(String id, String prevId, long timestamp, List<Tx> txs) {}

  /** Switches to a better chain that forks off after block {@code ancestor}. */
  static void switchFork(Sdb sdb, long ancestor, List<Block> betterChain) {
    sdb.rollbackBlock(ancestor); // in memory and in the database, flushed or not
    for (Block b : betterChain) {
      executeBlock(sdb, b.id(), b.prevId(), b.timestamp(), b.txs());
    }
  }

  // ------------------------------------------------------------------ the tour

  /** What {@link #tour} saw, for the test's assertions. */
  record TourResult(Map<Long, String> feed, String duplicateMessage, List<Transfer> bobsTransfers,
      Map<String, Object> readerCalls, String servedHeight, long heightAfterFork,
      String blockId3, long flushedAfterClose) {}

  /** Runs the guide's samples in order on a SQLite database in {@code dataDir}. */
  static TourResult tour(Path dataDir) throws Exception {
    Map<Long, String> feed = new ConcurrentHashMap<>();
    Node node = openWithFeed(dataDir, schema(), feed);
    Sdb sdb = node.sdb();
    String duplicate;
    List<Transfer> bobs;
    Map<String, Object> calls;
    String served;
    long afterFork;
    String id3;
    try (sdb) {
      genesis(sdb);
      executeBlock(sdb, "block-1", "genesis", 10, List.of(
          new Tx("tx-1", "alice", "bob", BigInteger.valueOf(100)),
          new Tx("tx-2", "bob", "alice", BigInteger.valueOf(500)))); // fails: bob has 100
      duplicate = otherWrites(sdb);
      reads(sdb);
      dropBlockInProgress(sdb);

      sdb.flush();
      bobs = transfersOf(node.reader(), "bob", 0);
      calls = readerCalls(node.reader());
      HttpServer server = serve(node.reader());
      try {
        var client = java.net.http.HttpClient.newHttpClient();
        var uri = java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort()
            + "/height");
        served = client.send(java.net.http.HttpRequest.newBuilder(uri).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      } finally {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
      }

      executeBlock(sdb, "block-3", "block-2", 30, List.of(
          new Tx("tx-4", "alice", "bob", BigInteger.ONE)));
      sdb.flush();
      switchFork(sdb, 2, List.of(new Block("block-3b", "block-2", 31, List.of(
          new Tx("tx-5", "bob", "alice", BigInteger.TWO)))));
      afterFork = sdb.lastHeight();
      sdb.flush();
      id3 = node.reader().blockByHeight(3).orElseThrow().id();
    }
    return new TourResult(feed, duplicate, bobs, calls, served, afterFork, id3,
        sdb.flushedHeight());
  }
}
