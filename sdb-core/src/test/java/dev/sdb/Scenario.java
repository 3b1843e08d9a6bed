package dev.sdb;

import static dev.sdb.TestModels.block;

import dev.sdb.schema.ModelSchema;
import dev.sdb.store.StateStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A deterministic chain over the test models: transfers between memory-model accounts, normal-model
 * transfers (some deleted later), delegates whose unique usernames change, composite-key balances,
 * and contracts of which about one in five is rolled back. Block h's content depends only on
 * (seed, h), so a rolled-back chain can be compared with one built from scratch.
 */
public final class Scenario {
  static final int ACCOUNTS = 8;
  static final int DELEGATES = 6;
  static final int TRANSFERS_PER_BLOCK = 5;

  private Scenario() {}

  static void genesis(Sdb sdb) {
    sdb.beginBlock(block(0));
    for (int i = 0; i < ACCOUNTS; i++) {
      sdb.create("Account", Map.of("address", "G" + i, "gny", 1000));
    }
    for (int i = 0; i < DELEGATES; i++) {
      sdb.create("Delegate", Map.of("address", "D" + i, "username", "d" + i, "region", "eu",
          "rank", i));
    }
    sdb.commitBlock();
  }

  /** Runs blocks {@code from..to} (inclusive) of the chain with this seed. */
  static void blocks(Sdb sdb, long from, long to, long seed) {
    for (long h = from; h <= to; h++) {
      runBlock(sdb, h, seed, () -> {});
    }
  }

  /** Runs block {@code h} of the chain with this seed; {@code beforeCommit} runs just before. */
  static void runBlock(Sdb sdb, long h, long seed, Runnable beforeCommit) {
    Random rnd = new Random(seed * 1_000_003L + h);
    sdb.beginBlock(block(h));
    for (int j = 0; j < TRANSFERS_PER_BLOCK; j++) {
      contract(sdb, rnd, h, j);
    }
    beforeCommit.run();
    sdb.commitBlock();
  }

  /** The sum of every account's balance; transfers conserve it. */
  static java.math.BigInteger totalBalance(Sdb sdb) {
    return sdb.getAll("Account").stream().map(a -> (java.math.BigInteger) a.get("gny"))
        .reduce(java.math.BigInteger.ZERO, java.math.BigInteger::add);
  }

  private static void contract(Sdb sdb, Random rnd, long h, int j) {
    sdb.beginContract();
    try {
      sdb.lock("tx-" + h + "-" + j);
      String s = "G" + rnd.nextInt(ACCOUNTS);
      String r = "G" + rnd.nextInt(ACCOUNTS);
      int amount = 1 + rnd.nextInt(50);
      sdb.increase("Account", Map.of("gny", -amount), Map.of("address", s));
      sdb.increase("Account", Map.of("gny", amount), Map.of("address", r));
      sdb.create("Transfer", Map.of("tid", "t-" + h + "-" + j, "senderId", s, "recipientId", r,
          "currency", "GNY", "amount", amount, "timestamp", h * 10 + j, "height", h));
      if (rnd.nextInt(4) == 0) {
        sdb.update("Delegate", Map.of("username", "u" + rnd.nextInt(10)),
            Map.of("address", "D" + rnd.nextInt(DELEGATES)));
      }
      if (rnd.nextInt(5) == 0 && h > 1) {
        Map<String, Object> old = Map.of("tid", "t-" + (h - 1) + "-" + rnd.nextInt(TRANSFERS_PER_BLOCK));
        if (sdb.has("Transfer", old)) {
          sdb.del("Transfer", old);
        }
      }
      if (rnd.nextInt(3) == 0) {
        Map<String, Object> key = Map.of("address", s, "currency", "C" + rnd.nextInt(2));
        sdb.createOrLoad("Balance", key);
        sdb.increase("Balance", Map.of("balance", amount), key);
      }
      if (rnd.nextInt(5) == 0) {
        sdb.del("Delegate", Map.of("address", "D" + rnd.nextInt(DELEGATES)));
      }
      if (rnd.nextInt(5) == 0) {
        sdb.rollbackContract();
      } else {
        sdb.commitContract();
      }
    } catch (DuplicateKeyException | EntityNotFoundException e) {
      sdb.rollbackContract();
    }
  }

  /** The writer's view of every entity the chain can touch, as comparable text. */
  static Map<String, String> dump(Sdb sdb, long maxHeight) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("height", Long.toString(sdb.lastHeight()));
    out.put("Account", sdb.getAll("Account").toString());
    out.put("Balance", sdb.getAll("Balance").toString());
    List<String> delegates = new ArrayList<>();
    for (int i = 0; i < DELEGATES; i++) {
      delegates.add(sdb.load("Delegate", Map.of("address", "D" + i)).map(Object::toString)
          .orElse("-"));
    }
    out.put("Delegate", delegates.toString());
    List<String> byUsername = new ArrayList<>();
    for (String u : List.of("d0", "d1", "d2", "d3", "d4", "d5", "u0", "u1", "u2", "u3", "u4", "u5",
        "u6", "u7", "u8", "u9")) {
      byUsername.add(u + "=" + sdb.load("Delegate", Map.of("username", u))
          .map(m -> m.get("address")).orElse("-"));
    }
    out.put("Delegate.username", byUsername.toString());
    List<String> transfers = new ArrayList<>();
    for (long h = 1; h <= maxHeight; h++) {
      for (int j = 0; j < TRANSFERS_PER_BLOCK; j++) {
        sdb.load("Transfer", Map.of("tid", "t-" + h + "-" + j))
            .ifPresent(m -> transfers.add(m.toString()));
      }
    }
    out.put("Transfer", transfers.toString());
    return out;
  }

  /** Every row and block header the store holds, per model, as comparable text. */
  static Map<String, String> storeDump(StateStore store, Sdb sdb) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("height", Long.toString(store.flushedHeight()));
    out.put("blocks", store.changeSetsAbove(-1).stream().map(ChangeSet::block).toList().toString());
    for (ModelSchema m : sdb.schema().models()) {
      List<String> rows = new ArrayList<>();
      store.scan(m, row -> rows.add(Arrays.deepToString(row)));
      out.put(m.name(), rows.toString());
    }
    return out;
  }
}
