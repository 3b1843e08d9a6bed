package dev.sdb.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sdb.BlockHeader;
import dev.sdb.Sdb;
import dev.sdb.examples.w1.W1Models;
import dev.sdb.sql.SqlStateStore;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The read API over real HTTP, on a temporary SQLite database with blocks 0..3 flushed and block 4
 * committed but not flushed (the API must not see it). Block 0 creates alice, bob and carol;
 * blocks 1..3 hold 25 transfers from alice to bob (10, 10, 5) and block 2 two from bob to carol.
 */
@Timeout(60)
class HttpApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static SqlStateStore store;
  private static Sdb sdb;
  private static HttpApi api;
  private static NodeStatus status;

  @BeforeAll
  static void startApi() {
    store = SqlStateStore.open("jdbc:sqlite:" + dir.resolve("api.db"));
    sdb = Sdb.builder().schema(W1Models.schema()).store(store).manualFlush().open();
    block(0, () -> {
      sdb.create("Account", Map.of("address", "alice", "username", "alice", "gny", 1_000));
      sdb.create("Account", Map.of("address", "bob"));
      sdb.create("Account", Map.of("address", "carol"));
    });
    for (int height = 1; height <= 3; height++) {
      int h = height;
      block(h, () -> {
        for (int j = 0; j < (h == 3 ? 5 : 10); j++) {
          transfer("t" + h + "-" + j, "alice", "bob", 10 + j, h);
        }
        if (h == 2) {
          transfer("u2-0", "bob", "carol", 1, h);
          transfer("u2-1", "bob", "carol", 2, h);
        }
      });
    }
    sdb.flush();
    block(4, () -> transfer("t4-0", "alice", "carol", 1, 4)); // committed, never flushed
    status = NodeStatus.of(sdb.stats());
    api = HttpApi.start(store.reader(), () -> status, new InetSocketAddress("127.0.0.1", 0));
  }

  private static void block(long height, Runnable body) {
    sdb.beginBlock(new BlockHeader(height, "block-" + height,
        height == 0 ? null : "block-" + (height - 1), 1_000 + height,
        Map.of("delegate", "alice")));
    body.run();
    sdb.commitBlock();
  }

  private static void transfer(String tid, String from, String to, int amount, long height) {
    sdb.increase("Account", Map.of("gny", -amount), Map.of("address", from));
    sdb.increase("Account", Map.of("gny", amount), Map.of("address", to));
    sdb.create("Transfer", Map.of("tid", tid, "senderId", from, "recipientId", to,
        "currency", "GNY", "amount", amount, "timestamp", 1_000 + height, "height", height));
  }

  @AfterAll
  static void stopApi() {
    if (api != null) {
      api.close();
    }
    if (sdb != null) {
      sdb.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  private record Reply(int status, String contentType, String body, JsonNode json) {}

  private static Reply get(String pathAndQuery) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
  }

  private static URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + api.address().getPort() + pathAndQuery);
  }

  private static Reply send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(),
        JSON.readTree(r.body()));
  }

  /** A client error: the status, JSON with a message in "error", and no server internals. */
  private static void assertError(Reply r, int status, String messagePart) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.json().get("error").asText()).contains(messagePart);
    assertNoInternals(r);
  }

  private static void assertNoInternals(Reply r) {
    assertThat(r.body()).doesNotContain("\tat ", "at dev.sdb", "at java.", "Exception", "SQL",
        "jdbc:");
  }

  private static List<String> heights(JsonNode blocks) {
    List<String> heights = new ArrayList<>();
    blocks.forEach(b -> heights.add(b.get("height").asText()));
    return heights;
  }

  // ---------------------------------------------------------------- status

  @Test
  void status_showsTheWritersSnapshot() throws Exception {
    Reply r = get("/status");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo("application/json; charset=utf-8");
    assertThat(r.json().get("height").asLong()).isEqualTo(4);
    assertThat(r.json().get("flushedHeight").asLong()).isEqualTo(3);
    assertThat(r.json().get("pendingBlocks").asInt()).isEqualTo(1);
    assertThat(r.json().get("flushFailing").asBoolean(true)).isFalse();
    assertThat(r.json().get("failedFlushes").asLong(-1)).isZero();
  }

  // ---------------------------------------------------------------- accounts

  @Test
  void account_known_returnsTheRowWithBigIntegersAsStrings() throws Exception {
    Reply r = get("/accounts/alice");
    assertThat(r.status()).isEqualTo(200);
    JsonNode a = r.json();
    assertThat(a.get("address").asText()).isEqualTo("alice");
    assertThat(a.get("username").asText()).isEqualTo("alice");
    // 1000 - (10+..+19) - (10+..+19) - (10+..+14) = 1000 - 145 - 145 - 60; block 4 is not flushed
    assertThat(a.get("gny").isTextual()).isTrue();
    assertThat(new BigInteger(a.get("gny").asText())).isEqualTo(650);
    assertThat(a.get("_version_").asLong()).isEqualTo(26);
  }

  @Test
  void account_percentEncodedAddress_isDecoded() throws Exception {
    assertThat(get("/accounts/al%69ce").json().get("address").asText()).isEqualTo("alice");
  }

  @Test
  void account_withoutUsername_hasNullUsername() throws Exception {
    Reply r = get("/accounts/carol");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("username").isNull()).isTrue();
    assertThat(r.json().get("gny").asText()).isEqualTo("3");
  }

  @Test
  void account_unknown_is404() throws Exception {
    assertError(get("/accounts/nobody"), 404, "nobody");
  }

  // ---------------------------------------------------------------- transfers

  @Test
  void transfers_bySender_pagesNewestFirstByHeightThenTid() throws Exception {
    Reply first = get("/transfers?senderId=alice");
    assertThat(first.status()).isEqualTo(200);
    JsonNode page1 = first.json().get("transfers");
    assertThat(page1).hasSize(20);
    assertThat(first.json().get("limit").asInt()).isEqualTo(20);
    assertThat(first.json().get("offset").asInt()).isZero();
    assertThat(first.json().get("hasMore").asBoolean()).isTrue();

    Reply second = get("/transfers?senderId=alice&offset=20");
    JsonNode page2 = second.json().get("transfers");
    assertThat(page2).hasSize(5);
    assertThat(second.json().get("hasMore").asBoolean()).isFalse();

    List<String> order = new ArrayList<>();
    page1.forEach(t -> order.add(t.get("height").asText() + "/" + t.get("tid").asText()));
    page2.forEach(t -> order.add(t.get("height").asText() + "/" + t.get("tid").asText()));
    assertThat(order).hasSize(25).doesNotHaveDuplicates();
    assertThat(order.get(0)).isEqualTo("3/t3-4");
    assertThat(order.get(4)).isEqualTo("3/t3-0");
    assertThat(order.get(5)).isEqualTo("2/t2-9");
    assertThat(order.get(24)).isEqualTo("1/t1-0");
    assertThat(order).doesNotContain("4/t4-0"); // block 4 is not in the database yet
    JsonNode t = page1.get(0);
    assertThat(t.get("senderId").asText()).isEqualTo("alice");
    assertThat(t.get("recipientId").asText()).isEqualTo("bob");
    assertThat(t.get("amount").asText()).isEqualTo("14");
  }

  @Test
  void transfers_limitAndOffset_selectTheWindow() throws Exception {
    Reply r = get("/transfers?senderId=alice&limit=7&offset=21");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("transfers")).hasSize(4);
    assertThat(r.json().get("limit").asInt()).isEqualTo(7);
    assertThat(r.json().get("hasMore").asBoolean()).isFalse();
    assertThat(get("/transfers?senderId=alice&limit=100").json().get("transfers")).hasSize(25);
    assertThat(get("/transfers?senderId=alice&offset=25").json().get("transfers")).isEmpty();
  }

  @Test
  void transfers_byRecipientAndBoth_filter() throws Exception {
    JsonNode toCarol = get("/transfers?recipientId=carol").json().get("transfers");
    assertThat(toCarol).hasSize(2);
    assertThat(toCarol.get(0).get("tid").asText()).isEqualTo("u2-1");
    assertThat(get("/transfers?senderId=bob&recipientId=carol").json().get("transfers"))
        .hasSize(2);
    assertThat(get("/transfers?senderId=alice&recipientId=carol").json().get("transfers"))
        .isEmpty();
    Set<String> all = new HashSet<>();
    get("/transfers?limit=100").json().get("transfers").forEach(t -> all.add(t.get("tid")
        .asText()));
    assertThat(all).hasSize(27);
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit=0", "limit=101", "limit=abc", "limit=-5", "limit=",
      "offset=-1", "offset=x", "limit=99999999999"})
  void transfers_badPaging_is400(String query) throws Exception {
    String name = query.substring(0, query.indexOf('='));
    Reply r = get("/transfers?senderId=alice&" + query);
    if (query.equals("limit=")) { // empty means "not given"
      assertThat(r.status()).isEqualTo(200);
      return;
    }
    assertError(r, 400, name);
  }

  @Test
  void transfers_unknownOrRepeatedParameter_is400() throws Exception {
    assertError(get("/transfers?senderid=alice"), 400, "unknown parameter 'senderid'");
    assertError(get("/transfers?limit=1&limit=2"), 400, "more than once");
  }

  // ---------------------------------------------------------------- blocks

  @Test
  void block_byHeight_returnsTheHeader() throws Exception {
    Reply r = get("/blocks/2");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("height").asLong()).isEqualTo(2);
    assertThat(r.json().get("id").asText()).isEqualTo("block-2");
    assertThat(r.json().get("prevBlockId").asText()).isEqualTo("block-1");
    assertThat(r.json().get("timestamp").asLong()).isEqualTo(1_002);
    assertThat(r.json().get("fields").get("delegate").asText()).isEqualTo("alice");
    assertThat(get("/blocks/0").json().get("prevBlockId").isNull()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "abc", "1.5", "99999999999999999999"})
  void block_badHeight_is400(String height) throws Exception {
    assertError(get("/blocks/" + height), 400, "height");
  }

  @Test
  void block_unknownOrNotFlushed_is404() throws Exception {
    assertError(get("/blocks/99"), 404, "99");
    assertError(get("/blocks/4"), 404, "4"); // committed, but the database does not have it
  }

  @Test
  void block_changes_areItsDeltasInOrder() throws Exception {
    Reply r = get("/blocks/3/changes");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("height").asLong()).isEqualTo(3);
    JsonNode deltas = r.json().get("deltas");
    assertThat(deltas).hasSize(15); // 5 transfers: two increases and a create each
    assertThat(deltas.get(0).get("type").asInt()).isEqualTo(2);
    assertThat(deltas.get(0).get("model").asText()).isEqualTo("Account");
    assertThat(deltas.get(0).get("primaryKey").get("address").asText()).isEqualTo("alice");
    assertThat(deltas.get(2).get("type").asInt()).isEqualTo(1);
    assertThat(deltas.get(2).get("primaryKey").get("tid").asText()).isEqualTo("t3-0");
    assertError(get("/blocks/4/changes"), 404, "not flushed");
    assertError(get("/blocks/x/changes"), 400, "height");
  }

  @Test
  void block_byId_findsItOr404() throws Exception {
    Reply r = get("/blocks/by-id/block-1");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("height").asLong()).isEqualTo(1);
    assertError(get("/blocks/by-id/no-such-block"), 404, "no-such-block");
    assertError(get("/blocks/by-id/a%00b"), 400, "control character in 'a%00b'");
    assertError(get("/accounts/a%0Ab"), 400, "control character");
    assertError(get("/transfers?senderId=a%00"), 400, "control character");
  }

  @Test
  void blocks_latest_newestFirstWithLimit() throws Exception {
    Reply r = get("/blocks/latest");
    assertThat(r.status()).isEqualTo(200);
    assertThat(heights(r.json().get("blocks"))).containsExactly("3", "2", "1", "0");
    assertThat(heights(get("/blocks/latest?limit=2").json().get("blocks")))
        .containsExactly("3", "2");
    assertError(get("/blocks/latest?limit=0"), 400, "limit");
    assertError(get("/blocks/latest?limit=101"), 400, "limit");
  }

  // ---------------------------------------------------------------- everything else

  @Test
  void unknownPath_is404() throws Exception {
    assertError(get("/nothing/here"), 404, "/nothing/here");
    assertError(get("/accounts"), 404, "/accounts");
    assertError(get("/accounts/alice/extra"), 404, "/accounts/alice/extra");
  }

  @Test
  void otherMethods_are405() throws Exception {
    Reply r = send(HttpRequest.newBuilder(uri("/status"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertError(r, 405, "POST");
    HttpResponse<String> raw = CLIENT.send(HttpRequest.newBuilder(uri("/status"))
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(raw.statusCode()).isEqualTo(405);
    assertThat(raw.headers().firstValue("Allow")).contains("GET, HEAD");
  }

  @Test
  void head_answersAsGetWithoutABody() throws Exception {
    HttpResponse<String> ok = CLIENT.send(HttpRequest.newBuilder(uri("/status"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEmpty();
    assertThat(ok.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
    HttpResponse<String> missing = CLIENT.send(HttpRequest.newBuilder(uri("/accounts/nobody"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void failure_is500WithoutInternals() throws Exception {
    try (HttpApi failing = HttpApi.start(store.reader(), () -> {
      throw new IllegalStateException("secret detail from jdbc:sqlite:/data/x.db");
    }, new InetSocketAddress("127.0.0.1", 0), 1)) {
      HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(
          failing.uri() + "/status")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("internal error");
      assertThat(r.body()).doesNotContain("secret", "Exception", "\tat ");
    }
  }
}
