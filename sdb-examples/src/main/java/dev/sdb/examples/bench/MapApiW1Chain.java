package dev.sdb.examples.bench;

import dev.sdb.examples.w1.W1Models;
import dev.sdb.examples.w1.W1Transfer;
import dev.sdb.examples.w1.W1Workload;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * The "limit: bare HashMaps" baseline in the shape of SDB's map API: the contract makes the same
 * calls with the same argument maps as {@link dev.sdb.examples.w1.W1Contract#transfer} (model
 * name, {@code Map.of} key, deltas and values), and each call does only what a HashMap needs:
 * find the table by model name and the row by key, add the BigInteger in place, or keep the
 * caller's map as the new row after a duplicate check. No validation, no copies, no versions, no
 * deltas, no savepoints: against {@link HashMapW1Chain}, the difference is the cost of the API's
 * shape; against SDB, the cost of what SDB does behind it. A rolled-back contract is undone by
 * hand with the same kind of calls.
 */
final class MapApiW1Chain extends BareW1Chain {
  private final Map<String, Map<Object, Map<String, Object>>> tables = new HashMap<>();
  private final Map<String, String> primaryKeys = Map.of(
      W1Models.ACCOUNT, "address", W1Models.TRANSFER, "tid", W1Models.TRANSACTION, "id");

  MapApiW1Chain() {
    primaryKeys.keySet().forEach(model -> tables.put(model, new HashMap<>()));
    for (int s = 0; s < Fixture.ACCOUNTS; s++) {
      Map<String, Object> account = new HashMap<>();
      account.put("address", W1Workload.address(s));
      account.put("username", null);
      account.put("gny", W1Workload.GENESIS_BALANCE);
      account.put("isDelegate", 0);
      create(W1Models.ACCOUNT, account);
    }
  }

  @Override
  void resetToGenesis() {
    tables.get(W1Models.TRANSFER).clear();
    tables.get(W1Models.TRANSACTION).clear();
    tables.get(W1Models.ACCOUNT).values().forEach(a -> a.put("gny", W1Workload.GENESIS_BALANCE));
  }

  @Override
  boolean transfer(W1Transfer t) {
    BigInteger amount = t.amount();
    String lock = lock(t);
    BigInteger debit = amount.add(W1Workload.FEE).negate();
    increase(W1Models.ACCOUNT, Map.of("gny", debit), Map.of("address", t.senderId()));
    increase(W1Models.ACCOUNT, Map.of("gny", amount), Map.of("address", t.recipientId()));
    create(W1Models.TRANSFER, Map.of(
        "tid", t.id(),
        "senderId", t.senderId(),
        "recipientId", t.recipientId(),
        "currency", "GNY",
        "amount", amount,
        "timestamp", t.timestamp(),
        "height", t.height()));
    create(W1Models.TRANSACTION, Map.of(
        "id", t.id(),
        "type", 0,
        "timestamp", t.timestamp(),
        "fee", W1Workload.FEE,
        "senderId", t.senderId(),
        "senderPublicKey", t.senderPublicKey(),
        "args", t.args(),
        "message", "",
        "signatures", t.signatures(),
        "height", t.height()));
    if (t.rolledBack()) {
      delete(W1Models.TRANSACTION, Map.of("id", t.id()));
      delete(W1Models.TRANSFER, Map.of("tid", t.id()));
      increase(W1Models.ACCOUNT, Map.of("gny", amount.negate()), Map.of("address", t.recipientId()));
      increase(W1Models.ACCOUNT, Map.of("gny", debit.negate()), Map.of("address", t.senderId()));
      unlock(lock);
      return false;
    }
    return true;
  }

  private void create(String model, Map<String, Object> values) {
    Object key = values.get(primaryKeys.get(model));
    if (tables.get(model).putIfAbsent(key, values) != null) {
      throw new IllegalStateException(model + " " + key + " exists");
    }
  }

  private void increase(String model, Map<String, ?> deltas, Map<String, ?> key) {
    Map<String, Object> row = tables.get(model).get(key.get(primaryKeys.get(model)));
    if (row == null) {
      throw new IllegalStateException(model + key + " does not exist");
    }
    for (Map.Entry<String, ?> d : deltas.entrySet()) {
      row.put(d.getKey(), ((BigInteger) row.get(d.getKey())).add((BigInteger) d.getValue()));
    }
  }

  private void delete(String model, Map<String, ?> key) {
    if (tables.get(model).remove(key.get(primaryKeys.get(model))) == null) {
      throw new IllegalStateException(model + key + " does not exist");
    }
  }

  @Override
  BigInteger totalBalance() {
    BigInteger sum = BigInteger.ZERO;
    for (Map<String, Object> a : tables.get(W1Models.ACCOUNT).values()) {
      sum = sum.add((BigInteger) a.get("gny"));
    }
    return sum;
  }

  @Override
  int transferCount() {
    return tables.get(W1Models.TRANSFER).size();
  }

  @Override
  int transactionCount() {
    return tables.get(W1Models.TRANSACTION).size();
  }
}
