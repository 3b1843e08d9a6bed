package dev.sdb.examples.bench;

import dev.sdb.examples.w1.W1Transfer;
import dev.sdb.examples.w1.W1Workload;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The "limit: bare HashMaps" baseline: W1's transfer blocks with the same reads, writes, checks
 * and BigInteger arithmetic as the contract, on plain collections, without any tracking. Accounts
 * are mutable objects in a HashMap, Transfers and Transactions are {@code Object[]} rows in
 * HashMaps, locks a HashSet cleared after each block. A rolled-back contract is undone by hand.
 * Cycles and fresh strings as in {@link Fixture}.
 */
final class HashMapW1Chain {
  /** An account row that is changed in place. */
  static final class Account {
    final String address;
    @Nullable String username;
    BigInteger gny;
    int isDelegate;

    Account(String address, BigInteger gny) {
      this.address = address;
      this.gny = gny;
    }
  }

  private final Map<String, Account> accounts = new HashMap<>();
  private final Map<String, Object[]> transfers = new HashMap<>();
  private final Map<String, Object[]> transactions = new HashMap<>();
  private final Set<String> locks = new HashSet<>();
  private final List<List<W1Transfer>> generated = Fixture.w1Blocks();
  private int cycle;
  private W1Transfer[][] blocks = Fixture.fresh(generated, 0);
  private int height = 1;

  HashMapW1Chain() {
    for (int s = 0; s < Fixture.ACCOUNTS; s++) {
      String address = W1Workload.address(s);
      accounts.put(address, new Account(address, W1Workload.GENESIS_BALANCE));
    }
  }

  /** Outside the measured time: at the end of a cycle, back to genesis. */
  void prepareBlock() {
    if (height > Fixture.CYCLE_BLOCKS) {
      transfers.clear();
      transactions.clear();
      for (Account a : accounts.values()) {
        a.gny = W1Workload.GENESIS_BALANCE;
      }
      blocks = Fixture.fresh(generated, ++cycle);
      height = 1;
    }
  }

  /** One block: its transfers, then the locks are released. */
  int block() {
    int committed = 0;
    for (W1Transfer t : blocks[height]) {
      committed += transfer(t) ? 1 : 0;
    }
    locks.clear();
    height++;
    return committed;
  }

  private boolean transfer(W1Transfer t) {
    String lock = "basic.transfer@" + t.id();
    if (!locks.add(lock)) {
      throw new IllegalStateException("lock '" + lock + "' is already held");
    }
    BigInteger amount = t.amount();
    BigInteger debit = amount.add(W1Workload.FEE).negate();
    Account sender = account(t.senderId());
    sender.gny = sender.gny.add(debit);
    Account recipient = account(t.recipientId());
    recipient.gny = recipient.gny.add(amount);
    Object[] transfer = {t.id(), t.senderId(), t.recipientId(), null, "GNY", amount,
        t.timestamp(), t.height()};
    if (transfers.putIfAbsent(t.id(), transfer) != null) {
      throw new IllegalStateException("Transfer " + t.id() + " exists");
    }
    Object[] transaction = {t.id(), 0, t.timestamp(), t.senderId(), t.senderPublicKey(),
        W1Workload.FEE, t.args(), "", t.signatures(), t.height()};
    if (transactions.putIfAbsent(t.id(), transaction) != null) {
      throw new IllegalStateException("Transaction " + t.id() + " exists");
    }
    if (t.rolledBack()) {
      transactions.remove(t.id());
      transfers.remove(t.id());
      recipient.gny = recipient.gny.subtract(amount);
      sender.gny = sender.gny.subtract(debit);
      locks.remove(lock);
      return false;
    }
    return true;
  }

  private Account account(String address) {
    Account a = accounts.get(address);
    if (a == null) {
      throw new IllegalStateException("Account " + address + " does not exist");
    }
    return a;
  }

  /** Checks the balances and row counts of the cycle so far. */
  void verify() {
    long committed = Fixture.committedTransfers(blocks, height - 1);
    BigInteger expected = W1Workload.GENESIS_BALANCE.multiply(BigInteger.valueOf(Fixture.ACCOUNTS))
        .subtract(W1Workload.FEE.multiply(BigInteger.valueOf(committed)));
    BigInteger actual = BigInteger.ZERO;
    for (Account a : accounts.values()) {
      actual = actual.add(a.gny);
    }
    if (!actual.equals(expected) || transfers.size() != committed
        || transactions.size() != committed) {
      throw new IllegalStateException("HashMaps: sum of gny " + actual + " (expected " + expected
          + "), " + transfers.size() + " transfers and " + transactions.size()
          + " transactions (expected " + committed + ") after block " + (height - 1));
    }
  }
}
