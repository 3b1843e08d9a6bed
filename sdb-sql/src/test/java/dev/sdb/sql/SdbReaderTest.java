package dev.sdb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sdb.BlockHeader;
import dev.sdb.InvalidValueException;
import dev.sdb.Sdb;
import dev.sdb.StoreException;
import dev.sdb.TestModels;
import dev.sdb.TestModels.Account;
import dev.sdb.TestModels.Transfer;
import dev.sdb.UnknownModelException;
import dev.sdb.UnknownPropertyException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a node's HTTP handler relies on from {@link SdbReader}, on every supported database: the
 * condition language, fields, sort and paging, typed immutable rows and record mapping, findOne /
 * count / exists, exact big integers, block headers, that no request string becomes SQL, that it is
 * thread-safe, and that it never sees half a flush.
 */
class SdbReaderTest {
  private static final List<String> INJECTIONS = List.of("x' OR '1'='1",
      "\"; DROP TABLE transfer; --", "senderId) OR (1=1", "`; DROP TABLE transfer; --",
      "tid; DELETE FROM transfer");

  /** Eight transfers, created in this (non-key) order in block 0. */
  private static final List<Transfer> TRANSFERS = List.of(
      transfer("t03", "A", "B", null, "GNY", 30, 1003),
      transfer("t07", "B", "A", "alice", "GNY", 70, 1007),
      transfer("t01", "A", "C", "carol", "XAS", 10, 1001),
      transfer("t05", "C", "A", null, "GNY", 50, 1005),
      transfer("t02", "B", "C", null, "XAS", 20, 1002),
      transfer("t08", "A", "B", "bob", "XAS", 80, 1008),
      transfer("t04", "C", "B", null, "GNY", 40, 1004),
      transfer("t06", "A", "A", null, "XAS", 60, 1006));

  private SqlStateStore store;
  private Sdb sdb;
  private SdbReader reader;

  private static Transfer transfer(String tid, String sender, String recipient, String name,
      String currency, long amount, long timestamp) {
    return new Transfer(tid, sender, recipient, name, currency, BigInteger.valueOf(amount),
        timestamp, 1);
  }

  private void open(TestDatabases db) {
    store = db.freshStore();
    // TestModels.builder = Sdb.builder().schema(..).store(store) plus a write-ahead log directory,
    // which a server database (no file to put it beside) requires.
    sdb = TestModels.builder(store, TestModels.schema()).manualFlush().open();
    reader = store.reader();
  }

  @AfterEach
  void close() {
    try {
      if (sdb != null) {
        sdb.close();
      }
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }

  private void block(Map<String, Object> fields, Consumer<Sdb> body) {
    long h = sdb.lastHeight() + 1;
    sdb.beginBlock(header(h, fields));
    body.accept(sdb);
    sdb.commitBlock();
  }

  private void block(Consumer<Sdb> body) {
    block(Map.of(), body);
  }

  private static BlockHeader header(long h, Map<String, Object> fields) {
    return new BlockHeader(h, "b" + h, h == 0 ? null : "b" + (h - 1), 1_000 + h, fields);
  }

  /** Block 0: the eight transfers, three accounts, three delegates, two balances; flushed. */
  private void fixture() {
    block(s -> {
      TRANSFERS.forEach(s::create);
      s.create("Account", Map.of("address", "G2", "username", "bob", "gny", 200));
      s.create("Account", Map.of("address", "G1", "username", "alice", "gny", 100,
          "isDelegate", 1));
      s.create("Account", Map.of("address", "G3", "gny", 300));
      s.create("Delegate", Map.of("address", "D2", "username", "d2", "rank", 2, "votes", 500L,
          "region", "eu", "avatar", new byte[] {1, 2, 3}));
      s.create("Delegate", Map.of("address", "D1", "username", "d1", "rank", 1, "votes", 100L,
          "region", "eu"));
      s.create("Delegate", Map.of("address", "D3", "username", "d3", "votes", 5_000_000_000L));
      s.create("Balance", Map.of("address", "G1", "currency", "XAS", "balance", 5, "flag", true));
      s.create("Balance", Map.of("address", "G1", "currency", "GNY", "balance", 7));
    });
    sdb.flush();
  }

  private List<Object> tids(Map<String, ?> condition) {
    return reader.findAll("Transfer", Query.where(condition).fields("tid")).stream()
        .map(r -> r.get("tid")).toList();
  }

  private List<Object> column(String model, String column, Query query) {
    return reader.findAll(model, query).stream().map(r -> r.get(column)).toList();
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  // ------------------------------------------------------------------ conditions

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void findAll_conditions_everyOperator(TestDatabases db) {
    open(db);
    fixture();

    assertThat(tids(Map.of())).containsExactly("t01", "t02", "t03", "t04", "t05", "t06", "t07",
        "t08");
    assertThat(tids(Map.of("senderId", "A"))).containsExactly("t01", "t03", "t06", "t08");
    assertThat(tids(Map.of("senderId", "A", "currency", "XAS")))
        .containsExactly("t01", "t06", "t08");
    assertThat(tids(Map.of("amount", 50))).containsExactly("t05");
    assertThat(tids(Map.of("amount", "50"))).containsExactly("t05");
    assertThat(tids(Map.of("senderId", Map.of("$eq", "C")))).containsExactly("t04", "t05");
    assertThat(tids(Map.of("senderId", Map.of("$ne", "A"))))
        .containsExactly("t02", "t04", "t05", "t07");
    assertThat(tids(Map.of("timestamp", Map.of("$gt", 1005)))).containsExactly("t06", "t07", "t08");
    assertThat(tids(Map.of("timestamp", Map.of("$gte", 1005))))
        .containsExactly("t05", "t06", "t07", "t08");
    assertThat(tids(Map.of("timestamp", Map.of("$lt", 1003)))).containsExactly("t01", "t02");
    assertThat(tids(Map.of("timestamp", Map.of("$lte", 1003)))).containsExactly("t01", "t02", "t03");
    assertThat(tids(Map.of("timestamp", Map.of("$gte", 1002L, "$lt", 1005))))
        .containsExactly("t02", "t03", "t04");
    assertThat(tids(Map.of("senderId", Map.of("$in", List.of("B", "C")))))
        .containsExactly("t02", "t04", "t05", "t07");
    assertThat(tids(Map.of("senderId", Map.of("$nin", List.of("B", "C")))))
        .containsExactly("t01", "t03", "t06", "t08");
    assertThat(tids(Map.of("amount", Map.of("$in", List.of(10, "20", BigInteger.valueOf(30))))))
        .containsExactly("t01", "t02", "t03");
    assertThat(tids(Map.of("amount", Map.of("$nin", List.of(10, 20, 30, 40)))))
        .containsExactly("t05", "t06", "t07", "t08");
    assertThat(tids(Map.of("tid", Map.of("$in", List.of())))).isEmpty();
    assertThat(tids(Map.of("recipientName", Map.of("$like", "%o%")))).containsExactly("t01", "t08");
    assertThat(tids(Map.of("recipientName", Map.of("$like", "b_b")))).containsExactly("t08");
    assertThat(tids(Map.of("tid", Map.of("$like", "t0%"))))
        .hasSize(8);
    assertThat(tids(Map.of("recipientName", Map.of("$null", true))))
        .containsExactly("t02", "t03", "t04", "t05", "t06");
    assertThat(tids(Map.of("recipientName", Map.of("$null", false))))
        .containsExactly("t01", "t07", "t08");
    assertThat(tids(map("recipientName", null))).containsExactly("t02", "t03", "t04", "t05", "t06");
    assertThat(tids(Map.of("recipientName", map("$ne", null)))).containsExactly("t01", "t07", "t08");
    assertThat(tids(Map.of("recipientName", map("$eq", null))))
        .containsExactly("t02", "t03", "t04", "t05", "t06");

    // $or, $and and their nesting
    assertThat(tids(Map.of("$or", List.of(Map.of("senderId", "C"),
        Map.of("timestamp", Map.of("$lt", 1002)))))).containsExactly("t01", "t04", "t05");
    assertThat(tids(Map.of("$and", List.of(Map.of("senderId", "A"),
        Map.of("timestamp", Map.of("$gt", 1003)))))).containsExactly("t06", "t08");
    assertThat(tids(Map.of("$or", List.of(
        Map.of("$and", List.of(Map.of("senderId", "A"), Map.of("currency", "XAS"))),
        Map.of("recipientId", "C", "amount", 20))))).containsExactly("t01", "t02", "t06", "t08");
    assertThat(tids(Map.of(
        "$and", List.of(
            Map.of("$or", List.of(Map.of("senderId", "A"), Map.of("senderId", "B"))),
            Map.of("$or", List.of(Map.of("currency", "GNY"),
                Map.of("timestamp", Map.of("$gte", 1008))))),
        "height", 1))).containsExactly("t03", "t07", "t08");
    assertThat(tids(Map.of("$or", List.of(Map.of("senderId", "Z"), Map.of("tid", "t99")))))
        .isEmpty();

    // other column types: INT, LONG, BOOLEAN, BIG_INTEGER on the other models
    assertThat(column("Account", "address", Query.where(Map.of("isDelegate", 1))))
        .containsExactly("G1");
    assertThat(column("Account", "address", Query.where(Map.of("gny", Map.of("$gte", 200)))))
        .containsExactly("G2", "G3");
    assertThat(column("Account", "address", Query.where(Map.of("username", Map.of("$null", true)))))
        .containsExactly("G3");
    assertThat(column("Delegate", "address", Query.where(Map.of("rank", Map.of("$gte", 1)))))
        .containsExactly("D1", "D2");
    assertThat(column("Delegate", "address", Query.where(Map.of("rank", map("$eq", null)))))
        .containsExactly("D3");
    assertThat(column("Delegate", "address",
        Query.where(Map.of("votes", Map.of("$gt", 4_000_000_000L))))).containsExactly("D3");
    assertThat(column("Delegate", "address", Query.where(Map.of("avatar", Map.of("$null", false)))))
        .containsExactly("D2");
    assertThat(column("Balance", "currency", Query.where(Map.of("flag", true))))
        .containsExactly("XAS");
    assertThat(column("Balance", "currency", Query.where(Map.of("flag", false))))
        .containsExactly("GNY");
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void findAll_emptySubConditions_nullsUnderNeAndNin_likeEscapes(TestDatabases db) {
    open(db);
    fixture();
    List<String> all = List.of("t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08");

    // {} matches every row, also inside $or and $and (jOOQ alone would drop it from an OR)
    assertThat(tids(Map.of("$or", List.of(Map.of(), Map.of("senderId", "A"))))).isEqualTo(all);
    assertThat(tids(Map.of("$or", List.of(Map.of("$and", List.of(Map.of())),
        Map.of("senderId", "A"))))).isEqualTo(all);
    assertThat(tids(Map.of("$and", List.of(Map.of(), Map.of("senderId", "A")))))
        .containsExactly("t01", "t03", "t06", "t08");

    // $ne and $nin never match a null property (as SQL), an empty $nin included; $null finds them
    assertThat(tids(Map.of("recipientName", Map.of("$ne", "bob")))).containsExactly("t01", "t07");
    assertThat(tids(Map.of("recipientName", Map.of("$nin", List.of("bob")))))
        .containsExactly("t01", "t07");
    assertThat(tids(Map.of("recipientName", Map.of("$nin", List.of()))))
        .containsExactly("t01", "t07", "t08");
    assertThat(tids(Map.of("tid", Map.of("$nin", List.of())))).isEqualTo(all);

    // a backslash escapes %, _ and itself, the same on every database; anything else is refused
    assertThat(tids(Map.of("tid", Map.of("$like", "t0\\_")))).isEmpty();
    assertThat(tids(Map.of("tid", Map.of("$like", "t0_")))).isEqualTo(all);
    for (String bad : List.of("t0\\", "t\\0%", "a\u0000b")) {
      assertThatThrownBy(() -> tids(Map.of("tid", Map.of("$like", bad))))
          .as("pattern %s", bad).isInstanceOf(InvalidValueException.class)
          .hasMessageStartingWith("Transfer: tid: $like pattern");
    }
    assertThatThrownBy(() -> tids(Map.of("amount", map("$gt", null))))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("Transfer: amount: $gt with null; use $null");
    List<String> many = java.util.stream.IntStream.rangeClosed(0, ConditionCompiler.MAX_LIST_VALUES)
        .mapToObj(i -> "t" + i).toList();
    assertThatThrownBy(() -> tids(Map.of("tid", Map.of("$in", many))))
        .isInstanceOf(InvalidValueException.class).hasMessageContaining("at most 10000 values");
    assertThat(tids(Map.of("tid", Map.of("$in", many.subList(0, ConditionCompiler.MAX_LIST_VALUES)))))
        .isEmpty();
    assertThatThrownBy(() -> reader.count("Transfer", null))
        .isInstanceOf(InvalidValueException.class).hasMessageContaining("condition is null");
    assertThatThrownBy(() -> tids(map(null, "A")))
        .isInstanceOf(InvalidValueException.class).hasMessageContaining("null property name");

    // the query keeps its own copy of the condition
    Map<String, Object> condition = new LinkedHashMap<>(Map.of("senderId", "A"));
    List<Object> senders = new ArrayList<>(List.of("B"));
    Query q = Query.where(condition);
    Query in = Query.where(Map.of("senderId", Map.of("$in", senders)));
    condition.put("senderId", "C");
    senders.add("C");
    assertThat(column("Transfer", "tid", q)).containsExactly("t01", "t03", "t06", "t08");
    assertThat(column("Transfer", "tid", in)).containsExactly("t02", "t07");
    assertThatThrownBy(() -> Query.where(null)).isInstanceOf(InvalidValueException.class);
  }

  // ------------------------------------------------------------------ fields, sort, paging

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void findAll_fields_returnsOnlyThoseKeys_inTheRequestedOrder(TestDatabases db) {
    open(db);
    fixture();

    List<Map<String, Object>> rows = reader.findAll("Transfer",
        Query.where(Map.of("senderId", "A")).fields("amount", "recipientName", "tid"));
    assertThat(rows).hasSize(4);
    for (Map<String, Object> row : rows) {
      assertThat(row.keySet()).containsExactly("amount", "recipientName", "tid");
    }
    assertThat(rows.get(0)).containsExactly(Map.entry("amount", BigInteger.valueOf(10)),
        Map.entry("recipientName", "carol"), Map.entry("tid", "t01"));
    assertThat(rows.get(1)).containsEntry("recipientName", null).containsEntry("tid", "t03");

    Map<String, Object> all = reader.findAll("Transfer", Query.where(Map.of("tid", "t01")))
        .get(0);
    assertThat(all.keySet()).containsExactly("tid", "senderId", "recipientId", "recipientName",
        "currency", "amount", "timestamp", "height", "_version_");
    assertThat(reader.findAll("Transfer", Query.all().fields("_version_")))
        .extracting(r -> r.get("_version_")).containsOnly(1L);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void findAll_sort_oneAndTwoKeys_ascAndDesc(TestDatabases db) {
    open(db);
    fixture();

    assertThat(column("Transfer", "tid", Query.all().orderBy("timestamp", Query.Order.DESC)))
        .containsExactly("t08", "t07", "t06", "t05", "t04", "t03", "t02", "t01");
    assertThat(column("Transfer", "tid", Query.all().orderBy("timestamp", Query.Order.ASC)))
        .containsExactly("t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08");
    assertThat(column("Transfer", "tid", Query.all().orderBy("senderId", Query.Order.ASC)
        .orderBy("timestamp", Query.Order.DESC)))
        .containsExactly("t08", "t06", "t03", "t01", "t07", "t02", "t05", "t04");
    assertThat(column("Transfer", "tid", Query.all().orderBy("currency", Query.Order.DESC)
        .orderBy("tid", Query.Order.ASC)))
        .containsExactly("t01", "t02", "t06", "t08", "t03", "t04", "t05", "t07");
    assertThat(column("Transfer", "tid", Query.where(Map.of("currency", "GNY"))
        .fields("tid").orderBy("recipientId", Query.Order.DESC).orderBy("tid", Query.Order.DESC)))
        .containsExactly("t04", "t03", "t07", "t05");
    // a sort key need not be among the returned fields
    assertThat(reader.findAll("Transfer", Query.all().fields("tid")
        .orderBy("timestamp", Query.Order.DESC).limit(2)))
        .containsExactly(Map.of("tid", "t08"), Map.of("tid", "t07"));
    assertThat(column("Delegate", "address", Query.all().orderBy("votes", Query.Order.DESC)))
        .containsExactly("D3", "D2", "D1");
  }

  /**
   * Pages of a sort on a column with many equal values: the primary key must break the ties, or
   * the database may order them differently for each page and repeat or skip rows.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void findAll_pagesOfASortWithTies_holdEveryRowOnce_tiesInKeyOrder(TestDatabases db) {
    open(db);
    Map<String, String> currencyByTid = new java.util.TreeMap<>();
    block(s -> {
      for (int i = 0; i < 200; i++) { // tids created out of key order
        String tid = String.format("t%03d", (i * 37) % 200);
        String currency = i % 2 == 0 ? "GNY" : "BTC";
        currencyByTid.put(tid, currency);
        s.create(transfer(tid, "G" + (i % 3), "G9", i % 4 == 0 ? null : "n" + (i % 2), currency,
            i, i % 5));
      }
    });
    sdb.flush();

    Query byCurrency = Query.all().fields("tid", "currency").orderBy("currency", Query.Order.ASC);
    List<Map<String, Object>> pages = new ArrayList<>();
    for (int offset = 0; offset < 200; offset += 10) {
      pages.addAll(reader.findAll("Transfer", byCurrency.limit(10).offset(offset)));
    }
    List<Map<String, Object>> expected = new ArrayList<>();
    for (String currency : List.of("BTC", "GNY")) {
      currencyByTid.forEach((tid, c) -> {
        if (c.equals(currency)) {
          expected.add(Map.of("tid", tid, "currency", c));
        }
      });
    }
    assertThat(pages).isEqualTo(expected);

    List<Object> names = column("Transfer", "recipientName",
        Query.all().orderBy("recipientName", Query.Order.ASC));
    assertThat(names.subList(0, 50)).containsOnlyNulls();
    assertThat(names.subList(50, 200)).doesNotContainNull();
    names = column("Transfer", "recipientName",
        Query.all().orderBy("recipientName", Query.Order.DESC));
    assertThat(names.subList(0, 150)).doesNotContainNull();
    assertThat(names.subList(150, 200)).containsOnlyNulls();
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void findAll_limitAndOffset_pagesConcatenateToTheFullList(TestDatabases db) {
    open(db);
    fixture();

    for (Query base : List.of(Query.all(),
        Query.all().orderBy("senderId", Query.Order.ASC).orderBy("tid", Query.Order.DESC),
        Query.where(Map.of("currency", Map.of("$ne", "BTC"))).orderBy("timestamp",
            Query.Order.DESC))) {
      List<Map<String, Object>> full = reader.findAll("Transfer", base);
      assertThat(full).hasSize(8);
      for (int size : List.of(1, 3, 5, 8)) {
        List<Map<String, Object>> pages = new ArrayList<>();
        for (int offset = 0; offset < full.size(); offset += size) {
          List<Map<String, Object>> page = reader.findAll("Transfer",
              base.limit(size).offset(offset));
          assertThat(page).hasSize(Math.min(size, full.size() - offset));
          pages.addAll(page);
        }
        assertThat(pages).as("pages of %d of %s", size, base).isEqualTo(full);
      }
      assertThat(reader.findAll("Transfer", base.limit(3).offset(8))).isEmpty();
      assertThat(reader.findAll("Transfer", base.limit(100).offset(6)))
          .isEqualTo(full.subList(6, 8));
      assertThat(reader.findAll("Transfer", base.limit(0))).isEmpty();
      assertThat(reader.findAll("Transfer", base.offset(5))).isEqualTo(full.subList(5, 8));
      assertThat(reader.findAll("Transfer", base.offset(20))).isEmpty();
    }
    assertThatThrownBy(() -> Query.all().limit(-1)).isInstanceOf(InvalidValueException.class)
        .hasMessage("limit must not be negative: -1");
    assertThatThrownBy(() -> Query.all().offset(-1)).isInstanceOf(InvalidValueException.class)
        .hasMessage("offset must not be negative: -1");
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void findAll_defaultOrder_isThePrimaryKey(TestDatabases db) {
    open(db);
    fixture();
    block(s -> {
      s.create("Transfer", Map.of("tid", "t00", "senderId", "Z", "recipientId", "Z",
          "currency", "GNY", "amount", 1, "timestamp", 999, "height", 1));
      s.create("Balance", Map.of("address", "G0", "currency", "ZZZ"));
      s.create("Balance", Map.of("address", "G1", "currency", "AAA"));
    });
    sdb.flush();

    assertThat(column("Transfer", "tid", Query.all()))
        .containsExactly("t00", "t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08");
    assertThat(column("Account", "address", Query.all())).containsExactly("G1", "G2", "G3");
    assertThat(column("Delegate", "address", Query.all())).containsExactly("D1", "D2", "D3");
    // composite key: address, then currency
    assertThat(reader.findAll("Balance", Query.all()))
        .extracting(r -> r.get("address") + "/" + r.get("currency"))
        .containsExactly("G0/ZZZ", "G1/AAA", "G1/GNY", "G1/XAS");
  }

  // ------------------------------------------------------------------ types, mapping

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void rows_areImmutableMaps_withJavaTypesPerColumnType(TestDatabases db) {
    open(db);
    fixture();

    Map<String, Object> t = reader.findAll("Transfer", Query.where(Map.of("tid", "t07"))).get(0);
    assertThat(t).containsExactly(Map.entry("tid", "t07"), Map.entry("senderId", "B"),
        Map.entry("recipientId", "A"), Map.entry("recipientName", "alice"),
        Map.entry("currency", "GNY"), Map.entry("amount", BigInteger.valueOf(70)),
        Map.entry("timestamp", 1007L), Map.entry("height", 1L), Map.entry("_version_", 1L));
    assertThat(t.get("tid")).isInstanceOf(String.class);
    assertThat(t.get("amount")).isInstanceOf(BigInteger.class);
    assertThat(t.get("timestamp")).isInstanceOf(Long.class);

    Map<String, Object> a = reader.findOne("Account", Map.of("address", "G1")).orElseThrow();
    assertThat(a).containsExactly(Map.entry("address", "G1"), Map.entry("username", "alice"),
        Map.entry("gny", BigInteger.valueOf(100)), Map.entry("isDelegate", 1),
        Map.entry("_version_", 1L));
    assertThat(a.get("isDelegate")).isInstanceOf(Integer.class);

    Map<String, Object> d = reader.findOne("Delegate", Map.of("address", "D2")).orElseThrow();
    assertThat(d.get("rank")).isInstanceOf(Integer.class).isEqualTo(2);
    assertThat(d.get("votes")).isInstanceOf(Long.class).isEqualTo(500L);
    assertThat(d.get("avatar")).isInstanceOf(byte[].class);
    assertThat((byte[]) d.get("avatar")).containsExactly(1, 2, 3);
    Map<String, Object> d3 = reader.findOne("Delegate", Map.of("address", "D3")).orElseThrow();
    assertThat(d3).containsEntry("rank", null).containsEntry("avatar", null)
        .containsEntry("publicKey", null).containsEntry("votes", 5_000_000_000L);

    Map<String, Object> b = reader.findOne("Balance", Map.of("address", "G1", "currency", "XAS"))
        .orElseThrow();
    assertThat(b.get("flag")).isInstanceOf(Boolean.class).isEqualTo(true);
    assertThat(b.get("balance")).isEqualTo(BigInteger.valueOf(5));
    assertThat(reader.findOne("Balance", Map.of("currency", "GNY")).orElseThrow())
        .containsEntry("flag", false);

    List<Map<String, Object>> rows = reader.findAll("Transfer", Query.all());
    assertThatThrownBy(() -> rows.get(0).put("tid", "x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> rows.get(0).remove("tid"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> rows.add(Map.of())).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> a.put("gny", BigInteger.ZERO))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void findAllAndFindOne_mapToTheModelRecords(TestDatabases db) {
    open(db);
    fixture();

    List<Transfer> sorted = TRANSFERS.stream().sorted(Comparator.comparing(Transfer::tid)).toList();
    assertThat(reader.findAll(Transfer.class, Query.all())).isEqualTo(sorted);
    assertThat(reader.findAll(Transfer.class, Query.where(Map.of("senderId", "C"))
        .orderBy("amount", Query.Order.DESC)))
        .containsExactly(TRANSFERS.get(3), TRANSFERS.get(6));
    assertThat(reader.findOne(Transfer.class, Map.of("tid", "t08"))).contains(TRANSFERS.get(5));
    assertThat(reader.findOne(Transfer.class, Map.of("tid", "nope"))).isEmpty();

    assertThat(reader.findAll(Account.class, Query.all())).containsExactly(
        new Account("G1", "alice", BigInteger.valueOf(100), 1, 1),
        new Account("G2", "bob", BigInteger.valueOf(200), 0, 1),
        new Account("G3", null, BigInteger.valueOf(300), 0, 1));
    assertThat(reader.findOne(Account.class, Map.of("username", "bob")))
        .contains(new Account("G2", "bob", BigInteger.valueOf(200), 0, 1));
    // what the reader maps is what the engine holds
    assertThat(reader.findAll(Account.class, Query.all())).isEqualTo(sdb.getAll(Account.class));

    assertThatThrownBy(() -> reader.findAll(String.class, Query.all()))
        .isInstanceOf(UnknownModelException.class);
    assertThatThrownBy(() -> reader.findOne(String.class, Map.of()))
        .isInstanceOf(UnknownModelException.class);
  }

  // ------------------------------------------------------------------ findOne, count, exists

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void findOne_emptyOneOrTooMany_countAndExists(TestDatabases db) {
    open(db);
    fixture();

    assertThat(reader.findOne("Transfer", Map.of("senderId", "Z"))).isEmpty();
    assertThat(reader.findOne("Transfer", Map.of("senderId", "C", "currency", "GNY",
        "amount", 40))).hasValueSatisfying(r -> assertThat(r).containsEntry("tid", "t04"));
    assertThat(reader.findOne("Account", Map.of("username", "alice")))
        .hasValueSatisfying(r -> assertThat(r).containsEntry("address", "G1"));
    assertThatThrownBy(() -> reader.findOne("Transfer", Map.of("senderId", "A")))
        .isInstanceOf(TooManyRowsException.class).hasMessageContaining("Transfer");
    assertThatThrownBy(() -> reader.findOne("Transfer", Map.of()))
        .isInstanceOf(TooManyRowsException.class);
    assertThatThrownBy(() -> reader.findOne(Transfer.class, Map.of("currency", "XAS")))
        .isInstanceOf(TooManyRowsException.class);

    assertThat(reader.count("Transfer", Map.of())).isEqualTo(8);
    assertThat(reader.count("Transfer", Map.of("senderId", "A"))).isEqualTo(4);
    assertThat(reader.count("Transfer", Map.of("$or", List.of(Map.of("senderId", "B"),
        Map.of("amount", Map.of("$in", List.of(40, 50))))))).isEqualTo(4);
    assertThat(reader.count("Transfer", Map.of("timestamp", Map.of("$gt", 2000)))).isZero();
    assertThat(reader.count("Account", Map.of("username", Map.of("$null", false)))).isEqualTo(2);
    assertThat(reader.count("Transaction", Map.of())).isZero();

    assertThat(reader.exists("Transfer", Map.of())).isTrue();
    assertThat(reader.exists("Transfer", Map.of("recipientName", "bob"))).isTrue();
    assertThat(reader.exists("Transfer", Map.of("recipientName", "dave"))).isFalse();
    assertThat(reader.exists("Balance", Map.of("currency", "XAS", "flag", true))).isTrue();
    assertThat(reader.exists("Balance", Map.of("currency", "GNY", "flag", true))).isFalse();
    assertThat(reader.exists("Transaction", Map.of())).isFalse();
  }

  // ------------------------------------------------------------------ big integers

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void bigIntegers_beyond64Bits_roundTripExactly(TestDatabases db) {
    open(db);
    List<BigInteger> amounts = List.of(
        BigInteger.TWO.pow(64),
        BigInteger.TWO.pow(70).add(BigInteger.ONE),
        new BigInteger("123456789012345678901234567890123456789"),
        new BigInteger("-98765432109876543210987654321"),
        BigInteger.ZERO,
        BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE),
        BigInteger.valueOf(Long.MAX_VALUE), // the edges of the long fast path in binding
        BigInteger.valueOf(Long.MIN_VALUE),
        BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE),
        BigInteger.valueOf(-1),
        BigInteger.TEN.pow(dev.sdb.schema.ColumnType.MAX_BIG_INTEGER_DIGITS)
            .subtract(BigInteger.ONE), // the largest SDB accepts, on every database
        BigInteger.TEN.pow(dev.sdb.schema.ColumnType.MAX_BIG_INTEGER_DIGITS)
            .subtract(BigInteger.ONE).negate());
    BigInteger richest = BigInteger.TEN.pow(40).add(BigInteger.valueOf(17));
    block(s -> {
      for (int i = 0; i < amounts.size(); i++) {
        s.create("Transfer", Map.of("tid", String.format("big%02d", i), "senderId", "A",
            "recipientId", "B", "currency", "GNY", "amount", amounts.get(i), "timestamp", i,
            "height", 0));
      }
      s.create("Account", Map.of("address", "G1", "gny", richest.toString()));
    });
    block(s -> s.increase("Account", Map.of("gny", BigInteger.TWO.pow(100)),
        Map.of("address", "G1")));
    sdb.flush();

    assertThat(column("Transfer", "amount", Query.all())).isEqualTo(List.copyOf(amounts));
    for (int i = 0; i < amounts.size(); i++) {
      BigInteger a = amounts.get(i);
      String tid = String.format("big%02d", i); // two digits: the default order is the key's
      assertThat(tids(Map.of("amount", a))).as("amount = %s", a).containsExactly(tid);
      assertThat(tids(Map.of("amount", a.toString()))).containsExactly(tid);
      assertThat(reader.findOne(Transfer.class, Map.of("tid", tid)).orElseThrow().amount())
          .isEqualTo(a);
    }
    assertThat(tids(Map.of("amount", Map.of("$in", List.of(amounts.get(1), amounts.get(3))))))
        .containsExactly("big01", "big03");
    assertThat(tids(Map.of("amount", Map.of("$ne", amounts.get(2))))).hasSize(amounts.size() - 1);
    assertThat(tids(Map.of("amount", BigInteger.TWO.pow(70))))
        .as("2^70 is not 2^70 + 1").isEmpty();
    assertThat(reader.findOne("Account", Map.of("address", "G1")).orElseThrow())
        .containsEntry("gny", richest.add(BigInteger.TWO.pow(100)));
  }

  /** Text that means something to SQL or to PostgreSQL's COPY format comes back as written. */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void awkwardTextAndEveryByte_roundTripExactly(TestDatabases db) throws Exception {
    open(db);
    List<String> texts = List.of("tab\there", "line\nbreak", "cr\rlf\r\n", "back\\slash",
        "\\N", "\\.", "a\\tb", "", " ", "'quote\" `tick`", "\u00e9 \u4e2d \ud83d\ude00");
    ObjectMapper json = new ObjectMapper();
    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }
    List<String> args = new ArrayList<>();
    for (String t : texts) {
      args.add(json.writeValueAsString(List.of(t, "\\", 1)));
    }
    block(s -> {
      for (int i = 0; i < texts.size(); i++) {
        s.create("Transaction", Map.of("id", "x" + i, "type", 0, "timestamp", i, "senderId", "S",
            "senderPublicKey", "pk", "fee", 1, "args", args.get(i), "message", texts.get(i),
            "signatures", "[]", "height", 0));
      }
      s.create("Delegate", Map.of("address", "D1", "username", "d1", "avatar", everyByte,
          "region", "\t\n\\"));
      s.create("Delegate", Map.of("address", "D2", "username", "d2", "avatar", everyByte,
          "rank", 1));
      s.create("Delegate", Map.of("address", "D3", "username", "d3", "avatar", everyByte,
          "rank", 2));
    });
    sdb.flush();

    for (int i = 0; i < texts.size(); i++) {
      Map<String, Object> row = reader.findOne("Transaction", Map.of("id", "x" + i)).orElseThrow();
      assertThat(row.get("message")).as("message %d", i).isEqualTo(texts.get(i));
      assertThat(row.get("args")).as("args %d", i).isEqualTo(args.get(i));
    }
    Map<String, Object> d = reader.findOne("Delegate", Map.of("address", "D1")).orElseThrow();
    assertThat((byte[]) d.get("avatar")).isEqualTo(everyByte);
    assertThat(d.get("region")).isEqualTo("\t\n\\");

    // The same values written by UPDATEs (on PostgreSQL: arrays of every column type).
    byte[] reversed = new byte[256];
    for (int i = 0; i < reversed.length; i++) {
      reversed[i] = (byte) (255 - i);
    }
    block(s -> {
      for (int i = 0; i < texts.size(); i++) {
        String other = texts.get(texts.size() - 1 - i);
        s.update("Transaction", Map.of("message", other, "args", args.get(texts.size() - 1 - i),
            "type", i + 1, "fee", BigInteger.TWO.pow(70).add(BigInteger.valueOf(i))),
            Map.of("id", "x" + i));
      }
      s.update("Delegate", Map.of("avatar", reversed, "region", "\\N", "rank", 7,
          "votes", Long.MIN_VALUE), Map.of("address", "D1"));
      s.create("Balance", Map.of("address", "G1", "currency", "\tGNY", "balance", 1));
      Map<String, Object> nulls = new LinkedHashMap<>();
      nulls.put("avatar", null);
      nulls.put("rank", null);
      s.update("Delegate", nulls, Map.of("address", "D2"));
      s.update("Delegate", nulls, Map.of("address", "D3"));
    });
    block(s -> s.update("Balance", Map.of("flag", true, "balance", BigInteger.TEN.pow(60)),
        Map.of("address", "G1", "currency", "\tGNY")));
    sdb.flush();

    for (int i = 0; i < texts.size(); i++) {
      Map<String, Object> row = reader.findOne("Transaction", Map.of("id", "x" + i)).orElseThrow();
      assertThat(row.get("message")).isEqualTo(texts.get(texts.size() - 1 - i));
      assertThat(row.get("args")).isEqualTo(args.get(texts.size() - 1 - i));
      assertThat(row).containsEntry("type", i + 1)
          .containsEntry("fee", BigInteger.TWO.pow(70).add(BigInteger.valueOf(i)));
    }
    d = reader.findOne("Delegate", Map.of("address", "D1")).orElseThrow();
    assertThat((byte[]) d.get("avatar")).isEqualTo(reversed);
    assertThat(d).containsEntry("region", "\\N").containsEntry("rank", 7)
        .containsEntry("votes", Long.MIN_VALUE);
    for (String address : List.of("D2", "D3")) {
      assertThat(reader.findOne("Delegate", Map.of("address", address)).orElseThrow())
          .containsEntry("avatar", null).containsEntry("rank", null);
    }
    Map<String, Object> key = Map.of("address", "G1", "currency", "\tGNY");
    assertThat(reader.findOne("Balance", key).orElseThrow()).containsEntry("flag", true).containsEntry("balance", BigInteger.TEN.pow(60));
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void bigIntegers_compareNumericallyOnServers_asTextOnSqlite(TestDatabases db) {
    open(db);
    BigInteger huge = new BigInteger("100000000000000000000"); // 10^20 > 2^64
    block(s -> {
      for (BigInteger a : List.of(BigInteger.valueOf(9), BigInteger.TEN, huge)) {
        s.create("Transfer", Map.of("tid", "n" + a.toString().length(), "senderId", "A",
            "recipientId", "B", "currency", "GNY", "amount", a, "timestamp", 1, "height", 0));
      }
    });
    sdb.flush();
    // n1 = 9, n2 = 10, n21 = 10^20
    Query byAmount = Query.all().fields("tid").orderBy("amount", Query.Order.ASC);

    if (db == TestDatabases.SQLITE) {
      // Documented (Dialect): SQLite stores big integers as decimal text, exact but compared and
      // sorted as text: "10" < "100000000000000000000" < "9".
      assertThat(tids(Map.of("amount", Map.of("$gt", 9)))).isEmpty();
      assertThat(tids(Map.of("amount", Map.of("$lt", huge)))).containsExactly("n2");
      assertThat(tids(Map.of("amount", Map.of("$gte", 10, "$lte", huge))))
          .containsExactly("n2", "n21");
      assertThat(tids(Map.of("amount", Map.of("$lt", 9)))).containsExactly("n2", "n21");
      assertThat(column("Transfer", "tid", byAmount)).containsExactly("n2", "n21", "n1");
    } else {
      assertThat(tids(Map.of("amount", Map.of("$gt", 9)))).containsExactly("n2", "n21");
      assertThat(tids(Map.of("amount", Map.of("$lt", huge)))).containsExactly("n1", "n2");
      assertThat(tids(Map.of("amount", Map.of("$gt", 9, "$lt", huge)))).containsExactly("n2");
      assertThat(tids(Map.of("amount", Map.of("$gte", 10, "$lte", huge))))
          .containsExactly("n2", "n21");
      assertThat(tids(Map.of("amount", Map.of("$lt", 9)))).isEmpty();
      assertThat(tids(Map.of("amount", Map.of("$gt", "99999999999999999999"))))
          .containsExactly("n21");
      assertThat(column("Transfer", "tid", byAmount)).containsExactly("n1", "n2", "n21");
      assertThat(column("Transfer", "tid", Query.all().orderBy("amount", Query.Order.DESC)))
          .containsExactly("n21", "n2", "n1");
    }
    // equality is exact everywhere
    assertThat(tids(Map.of("amount", huge))).containsExactly("n21");
    assertThat(tids(Map.of("amount", "+10"))).containsExactly("n2");
  }

  // ------------------------------------------------------------------ blocks

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void blocks_byHeightIdRangeAndLast_onlyFlushedOnes_withHeaderFields(TestDatabases db) {
    open(db);
    assertThat(reader.flushedHeight()).isEqualTo(-1);
    assertThat(reader.lastBlock()).isEmpty();
    assertThat(reader.blockByHeight(0)).isEmpty();
    assertThat(reader.blockById("b0")).isEmpty();
    assertThat(reader.blocks(0, 100)).isEmpty();

    Map<String, Object> fields = Map.of("delegate", "abc", "count", 2);
    for (int h = 0; h <= 2; h++) {
      int height = h;
      block(Map.of("delegate", "abc", "count", 2, "h", h), s -> s.create("Transfer",
          Map.of("tid", "bt" + height, "senderId", "A", "recipientId", "B", "currency", "GNY",
              "amount", 1, "timestamp", height, "height", height)));
    }
    assertThat(reader.flushedHeight()).as("committed but not flushed").isEqualTo(-1);
    assertThat(reader.lastBlock()).isEmpty();
    assertThat(reader.count("Transfer", Map.of())).isZero();
    sdb.flush();
    block(fields, s -> s.create("Transfer", Map.of("tid", "bt3", "senderId", "A",
        "recipientId", "B", "currency", "GNY", "amount", 1, "timestamp", 3, "height", 3)));
    assertThat(sdb.lastHeight()).isEqualTo(3);

    BlockHeader h0 = header(0, Map.of("delegate", "abc", "count", 2, "h", 0));
    BlockHeader h1 = header(1, Map.of("delegate", "abc", "count", 2, "h", 1));
    BlockHeader h2 = header(2, Map.of("delegate", "abc", "count", 2, "h", 2));
    assertThat(reader.flushedHeight()).isEqualTo(2).isEqualTo(sdb.flushedHeight());
    assertThat(reader.lastBlock()).contains(h2);
    assertThat(reader.blockByHeight(0)).contains(h0);
    assertThat(reader.blockByHeight(0).orElseThrow().prevBlockId()).isNull();
    assertThat(reader.blockByHeight(1)).contains(h1);
    assertThat(reader.blockById("b2")).contains(h2);
    assertThat(reader.blockById("b1").orElseThrow().fields()).isEqualTo(Map.of("delegate", "abc", "count", 2, "h", 1));
    assertThat(reader.blocks(0, 100)).containsExactly(h0, h1, h2);
    assertThat(reader.blocks(1, 2)).containsExactly(h1, h2);
    assertThat(reader.blocks(1, 1)).containsExactly(h1);
    assertThat(reader.blocks(3, 10)).isEmpty();
    // block 3 is committed, not flushed: invisible, and so are its rows
    assertThat(reader.blockByHeight(3)).isEmpty();
    assertThat(reader.blockById("b3")).isEmpty();
    assertThat(column("Transfer", "tid", Query.all())).containsExactly("bt0", "bt1", "bt2");
    assertThat(reader.blockById("nope")).isEmpty();
    assertThatThrownBy(() -> reader.blocks(5, 3)).isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> reader.blocks(-1, 3)).isInstanceOf(InvalidValueException.class);
    // PostgreSQL refuses a NUL in text: refused before any SQL, alike on every database
    assertThatThrownBy(() -> reader.blockById("b\u0000")).isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("block id");
    assertThatThrownBy(() -> reader.blockById(null)).isInstanceOf(InvalidValueException.class);

    sdb.flush();
    BlockHeader h3 = header(3, fields);
    assertThat(reader.flushedHeight()).isEqualTo(3);
    assertThat(reader.lastBlock()).contains(h3);
    assertThat(reader.blockById("b3").orElseThrow().fields()).isEqualTo(fields);
    assertThat(reader.blocks(0, 3)).containsExactly(h0, h1, h2, h3);
    assertThat(reader.count("Transfer", Map.of())).isEqualTo(4);
  }

  // ------------------------------------------------------------------ injection

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void injection_asValues_matchesNothing_andDoesNoHarm(TestDatabases db) {
    open(db);
    fixture();

    for (String s : INJECTIONS) {
      assertThat(tids(Map.of("senderId", s))).as(s).isEmpty();
      assertThat(tids(Map.of("tid", s))).as(s).isEmpty();
      assertThat(tids(Map.of("senderId", Map.of("$ne", s)))).as(s).hasSize(8);
      assertThat(tids(Map.of("senderId", Map.of("$in", List.of(s, "'", "\\"))))).as(s).isEmpty();
      assertThat(tids(Map.of("senderId", Map.of("$like", s)))).as(s).isEmpty();
      assertThat(tids(Map.of("$or", List.of(Map.of("recipientName", s),
          Map.of("currency", s))))).as(s).isEmpty();
      assertThat(reader.count("Transfer", Map.of("recipientId", s))).isZero();
      assertThat(reader.exists("Transfer", Map.of("currency", s))).isFalse();
      assertThat(reader.findOne("Account", Map.of("username", s))).isEmpty();
      assertThat(reader.blockById(s)).isEmpty();
    }
    assertThat(reader.count("Transfer", Map.of())).isEqualTo(8);
    assertThat(reader.count("Account", Map.of())).isEqualTo(3);
    assertThat(reader.findAll(Transfer.class, Query.all()))
        .containsExactlyInAnyOrderElementsOf(TRANSFERS);

    // stored verbatim and found again by the very same string, and only by it
    block(s -> {
      for (int i = 0; i < INJECTIONS.size(); i++) {
        s.create("Transfer", Map.of("tid", INJECTIONS.get(i), "senderId", INJECTIONS.get(i),
            "recipientId", "B", "currency", "GNY", "amount", 1, "timestamp", i, "height", 1));
      }
    });
    sdb.flush();
    for (String s : INJECTIONS) {
      assertThat(tids(Map.of("senderId", s))).containsExactly(s);
      assertThat(reader.findOne("Transfer", Map.of("tid", s)).orElseThrow())
          .containsEntry("senderId", s);
    }
    assertThat(reader.count("Transfer", Map.of())).isEqualTo(8 + INJECTIONS.size());
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void injection_asNamesSortKeysFieldsOperatorsOrModels_isRejectedBeforeAnySqlRuns(
      TestDatabases db) {
    open(db);
    fixture();

    assertRejected();
    assertThat(reader.count("Transfer", Map.of())).isEqualTo(8);
    assertThat(reader.count("Account", Map.of())).isEqualTo(3);
    assertThat(tids(Map.of())).hasSize(8);

    // With the store closed, any statement would fail with a StoreException; the rejections
    // are unchanged, so they happen before SQL is generated or sent.
    sdb.close();
    assertThatThrownBy(() -> reader.count("Transfer", Map.of()))
        .isInstanceOf(StoreException.class);
    assertRejected();
  }

  private void assertRejected() {
    for (String s : INJECTIONS) {
      rejected(UnknownPropertyException.class, () -> reader.findAll("Transfer",
          Query.where(Map.of(s, "A"))));
      rejected(UnknownPropertyException.class, () -> reader.findAll("Transfer",
          Query.where(Map.of("senderId", "A", s, Map.of("$gt", 1)))));
      rejected(UnknownPropertyException.class, () -> reader.count("Transfer", Map.of(s, 1)));
      rejected(UnknownPropertyException.class, () -> reader.exists("Transfer", Map.of(s, 1)));
      rejected(UnknownPropertyException.class, () -> reader.findOne("Transfer", Map.of(s, 1)));
      rejected(UnknownPropertyException.class, () -> reader.findOne(Transfer.class,
          Map.of(s, 1)));
      rejected(UnknownPropertyException.class, () -> reader.findAll("Transfer",
          Query.where(Map.of("$or", List.of(Map.of("tid", "t01"), Map.of(s, "x"))))));
      rejected(UnknownPropertyException.class, () -> reader.findAll("Transfer",
          Query.where(Map.of("$and", List.of(Map.of("$or", List.of(Map.of(s, "x"))))))));
      rejected(UnknownPropertyException.class, () -> reader.findAll("Transfer",
          Query.all().fields("tid", s)));
      rejected(UnknownPropertyException.class, () -> reader.findAll(Transfer.class,
          Query.all().fields(s)));
      rejected(UnknownPropertyException.class, () -> reader.findAll("Transfer",
          Query.all().orderBy(s, Query.Order.ASC)));
      rejected(UnknownPropertyException.class, () -> reader.findAll("Transfer",
          Query.all().orderBy("tid", Query.Order.DESC).orderBy(s, Query.Order.DESC)));
      rejected(InvalidValueException.class, () -> reader.findAll("Transfer",
          Query.where(Map.of("amount", Map.of(s, 1)))));
      rejected(InvalidValueException.class, () -> reader.count("Transfer",
          Map.of("senderId", map("$eq", "A", s, "B"))));
      rejected(InvalidValueException.class, () -> reader.findAll("Transfer",
          Query.where(Map.of("$or", s))));
      rejected(InvalidValueException.class, () -> reader.findAll("Transfer",
          Query.where(Map.of("$and", List.of(s)))));
      rejected(UnknownModelException.class, () -> reader.findAll(s, Query.all()));
      rejected(UnknownModelException.class, () -> reader.count(s, Map.of()));
      rejected(UnknownModelException.class, () -> reader.exists(s, Map.of()));
      rejected(UnknownModelException.class, () -> reader.findOne(s, Map.of()));
      // values that are not of the column's type
      rejected(InvalidValueException.class, () -> reader.findAll("Transfer",
          Query.where(Map.of("amount", s))));
      rejected(InvalidValueException.class, () -> reader.count("Transfer",
          Map.of("amount", Map.of("$gt", s))));
      rejected(InvalidValueException.class, () -> reader.count("Transfer",
          Map.of("timestamp", Map.of("$in", List.of(1, s)))));
      rejected(InvalidValueException.class, () -> reader.count("Delegate", Map.of("rank", s)));
      rejected(InvalidValueException.class, () -> reader.count("Balance", Map.of("flag", s)));
    }
    rejected(UnknownPropertyException.class, () -> reader.findAll("Transfer",
        Query.where(Map.of("$where", "1=1"))));
    rejected(UnknownPropertyException.class, () -> reader.findAll("Transfer",
        Query.where(Map.of("TID", "t01"))));
    rejected(InvalidValueException.class, () -> reader.count("Transfer",
        Map.of("amount", "12abc")));
    rejected(InvalidValueException.class, () -> reader.count("Transfer",
        Map.of("amount", Map.of("$lt", "1e3"))));
    rejected(InvalidValueException.class, () -> reader.count("Transfer",
        Map.of("amount", Map.of("$in", List.of("10", "0x10")))));
    rejected(InvalidValueException.class, () -> reader.count("Transfer",
        Map.of("amount", new java.math.BigDecimal("1.5"))));
    rejected(InvalidValueException.class, () -> reader.count("Transfer",
        Map.of("amount", Map.of("$like", "1%"))));
    rejected(InvalidValueException.class, () -> reader.count("Transfer",
        Map.of("tid", Map.of("$like", 1))));
    rejected(InvalidValueException.class, () -> reader.count("Transfer",
        Map.of("tid", Map.of("$null", "true"))));
    rejected(InvalidValueException.class, () -> reader.count("Transfer",
        Map.of("tid", map("$gt", null))));
    rejected(InvalidValueException.class, () -> reader.count("Transfer",
        Map.of("tid", Map.of("$in", "t01"))));
    rejected(InvalidValueException.class, () -> reader.count("Transfer",
        Map.of("tid", Map.of())));
    rejected(InvalidValueException.class, () -> reader.count("Transfer",
        Map.of("$or", List.of())));
    rejected(InvalidValueException.class, () -> reader.count("Delegate",
        Map.of("rank", 10_000_000_000L)));
  }

  private static void rejected(Class<? extends Throwable> type, ThrowingCallable call) {
    assertThatThrownBy(call).isExactlyInstanceOf(type);
  }

  // ------------------------------------------------------------------ threads

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void reader_isUsableFromSeveralThreadsAtOnce(TestDatabases db) throws Exception {
    open(db);
    fixture();
    Map<String, List<Object>> bySender = Map.of(
        "A", List.of("t01", "t03", "t06", "t08"),
        "B", List.of("t02", "t07"),
        "C", List.of("t04", "t05"));
    List<String> senders = List.of("A", "B", "C");

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        tasks.add(() -> {
          int ok = 0;
          for (int i = 0; i < 200; i++) {
            String sender = senders.get((i + thread) % 3);
            List<Object> expected = bySender.get(sender);
            switch (i % 4) {
              case 0 -> assertThat(tids(Map.of("senderId", sender))).isEqualTo(expected);
              case 1 -> assertThat(reader.findAll(Transfer.class,
                  Query.where(Map.of("senderId", sender)).orderBy("tid", Query.Order.DESC)))
                  .extracting(Transfer::tid).isEqualTo(expected.reversed());
              case 2 -> assertThat(reader.findAll("Transfer", Query.where(Map.of("senderId",
                  sender)).fields("tid").limit(1).offset(1)))
                  .containsExactly(Map.of("tid", expected.get(1)));
              default -> assertThat(reader.findAll("Account", Query.all().fields("gny")))
                  .extracting(r -> r.get("gny")).containsExactly(BigInteger.valueOf(100),
                      BigInteger.valueOf(200), BigInteger.valueOf(300));
            }
            ok++;
          }
          return ok;
        });
      }
      int total = 0;
      for (Future<Integer> f : pool.invokeAll(tasks)) {
        total += f.get();
      }
      assertThat(total).isEqualTo(800);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void readsDuringFlushes_neverSeeHalfABlock(TestDatabases db) throws Exception {
    open(db);
    final int n = 5;
    final int blocks = 45;
    final int accounts = 4;
    final BigInteger initial = BigInteger.TEN.pow(25);
    final BigInteger total = initial.multiply(BigInteger.valueOf(accounts));
    Random rnd = new Random(42);

    block(s -> {
      for (int a = 0; a < accounts; a++) {
        s.create("Account", Map.of("address", "G" + a, "gny", initial));
      }
      for (int j = 0; j < n; j++) {
        s.create("Transfer", Map.of("tid", "f-000-" + j, "senderId", "G0", "recipientId", "G1",
            "currency", "GNY", "amount", 0, "timestamp", j, "height", 0));
      }
    });
    sdb.flush();

    AtomicBoolean done = new AtomicBoolean();
    List<Long> counts = new ArrayList<>();
    List<BigInteger> sums = new ArrayList<>();
    java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
    ExecutorService readerThread = Executors.newSingleThreadExecutor();
    Future<?> observing = readerThread.submit(() -> {
      while (!done.get()) { // the whole time the flushes run
        counts.add(reader.count("Transfer", Map.of()));
        reading.countDown();
        sums.add(reader.findAll("Account", Query.all().fields("gny")).stream()
            .map(r -> (BigInteger) r.get("gny")).reduce(BigInteger.ZERO, BigInteger::add));
        Thread.yield();
      }
      return null;
    });

    // the Transfer counts the database holds after each flush: the only ones a reader may see
    List<Long> flushedCounts = new ArrayList<>(List.of((long) n));
    assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
    try {
      int sinceFlush = 0;
      int flushEvery = 1;
      for (int h = 1; h <= blocks; h++) {
        int height = h;
        block(s -> {
          for (int j = 0; j < n; j++) {
            String from = "G" + rnd.nextInt(accounts);
            String to = "G" + rnd.nextInt(accounts);
            int amount = 1 + rnd.nextInt(1_000);
            s.beginContract();
            s.increase("Account", Map.of("gny", -amount), Map.of("address", from));
            s.increase("Account", Map.of("gny", amount), Map.of("address", to));
            s.create("Transfer", Map.of("tid", String.format("f-%03d-%d", height, j),
                "senderId", from, "recipientId", to, "currency", "GNY", "amount", amount,
                "timestamp", height * 10L + j, "height", height));
            s.commitContract();
          }
        });
        if (++sinceFlush >= flushEvery) {
          sdb.flush();
          flushedCounts.add((long) n * (h + 1));
          sinceFlush = 0;
          flushEvery = 1 + rnd.nextInt(3);
        }
      }
      sdb.flush();
      flushedCounts.add((long) n * (blocks + 1));
    } finally {
      done.set(true);
      observing.get(60, TimeUnit.SECONDS);
      readerThread.shutdown();
    }

    // the reads overlapped the flushes: they saw the database at several heights
    assertThat(new java.util.HashSet<>(counts)).as("distinct counts seen").hasSizeGreaterThan(2);
    for (int i = 0; i < counts.size(); i++) {
      assertThat(counts.get(i) % n).as("observation %d: %d rows", i, counts.get(i)).isZero();
      if (i > 0) {
        assertThat(counts.get(i)).as("observation %d", i).isGreaterThanOrEqualTo(counts.get(i - 1));
      }
    }
    // stronger than "a multiple of n": a flush of several blocks is seen all at once or not at all
    assertThat(flushedCounts).containsAll(counts);
    assertThat(sums).containsOnly(total);
    assertThat(reader.count("Transfer", Map.of())).isEqualTo((long) n * (blocks + 1));
    assertThat(reader.flushedHeight()).isEqualTo(blocks);
    assertThat(reader.findAll("Account", Query.all()).stream()
        .map(r -> (BigInteger) r.get("gny")).reduce(BigInteger.ZERO, BigInteger::add))
        .isEqualTo(total);
    assertThat(reader.findAll("Account", Query.all())).isEqualTo(sdb.getAll("Account"));
  }
}
