package dev.sdb.examples.bench;

import dev.sdb.examples.w1.W1Transfer;
import dev.sdb.examples.w1.W1Workload;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The tightest "limit: bare HashMaps" baseline: W1's transfer blocks with the same reads, writes,
 * checks and BigInteger arithmetic as the contract, written as hand-made Java without any
 * tracking and without the caller's maps: accounts are mutable objects in a HashMap, Transfers and
 * Transactions {@code Object[]} rows in HashMaps. A rolled-back contract is undone by hand.
 */
final class HashMapW1Chain extends BareW1Chain {
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

  HashMapW1Chain() {
    for (int s = 0; s < Fixture.ACCOUNTS; s++) {
      String address = W1Workload.address(s);
      accounts.put(address, new Account(address, W1Workload.GENESIS_BALANCE));
    }
  }

  @Override
  void resetToGenesis() {
    transfers.clear();
    transactions.clear();
    for (Account a : accounts.values()) {
      a.gny = W1Workload.GENESIS_BALANCE;
    }
  }

  @Override
  boolean transfer(W1Transfer t) {
    String lock = lock(t);
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
      unlock(lock);
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

  @Override
  BigInteger totalBalance() {
    BigInteger sum = BigInteger.ZERO;
    for (Account a : accounts.values()) {
      sum = sum.add(a.gny);
    }
    return sum;
  }

  @Override
  int transferCount() {
    return transfers.size();
  }

  @Override
  int transactionCount() {
    return transactions.size();
  }
}
