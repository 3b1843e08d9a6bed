package dev.sdb.examples.w1;

import dev.sdb.sql.SqlStateStore;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * W1's baselines, measured in the same run as SDB:
 *
 * <ul>
 *   <li><b>plain JDBC</b>: the workload as SQL statements, one by one, a savepoint per transfer
 *       and one database transaction per block: what a node does without SDB;
 *   <li><b>limit (database)</b>: the final rows written with one prepared statement per table, in
 *       JDBC batches, in one transaction: the database's own ceiling;
 *   <li><b>limit (JVM)</b>: the in-memory part alone on plain HashMaps, without any tracking.
 * </ul>
 */
final class W1Baselines {
  private W1Baselines() {}

  /**
   * Transfers per second of the plain-JDBC node: steps 2 and 3 (the blocks, then the rollback of
   * R blocks), with SDB's check of the result.
   */
  static double plainJdbc(W1Options o, String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      createTables(c, url, "plain");
      insertAccounts(c, url, "plain", o.accounts());
      c.setAutoCommit(false);
      String q = quoteFor(url);
      W1Workload workload = new W1Workload(o.accounts(), Mulberry32.w1());
      W1Expected expected = new W1Expected(o.accounts());
      List<List<W1Transfer>> undone = new java.util.ArrayList<>();
      try (PreparedStatement debit = c.prepareStatement("UPDATE plain_account SET gny = gny - ?, "
              + q + "_version_" + q + " = " + q + "_version_" + q + " + 1 WHERE address = ?");
          PreparedStatement credit = c.prepareStatement("UPDATE plain_account SET gny = gny + ?, "
              + q + "_version_" + q + " = " + q + "_version_" + q + " + 1 WHERE address = ?");
          PreparedStatement transfer = c.prepareStatement(insert(url, "plain_transfer", 8));
          PreparedStatement transaction = c.prepareStatement(insert(url, "plain_transaction",
              10))) {
        long measured = 0;
        for (long h = 1; h <= o.blocks(); h++) {
          List<W1Transfer> block = workload.nextBlock(h, o.transfers());
          long start = System.nanoTime();
          Set<String> locks = new HashSet<>();
          for (W1Transfer t : block) {
            Savepoint sp = c.setSavepoint();
            locks.add("basic.transfer@" + t.id());
            book(t, debit, credit, url);
            bindTransfer(transfer, t, url);
            transfer.executeUpdate();
            bindTransaction(transaction, t, url);
            transaction.executeUpdate();
            if (t.rolledBack()) {
              c.rollback(sp);
              locks.remove("basic.transfer@" + t.id());
            } else {
              c.releaseSavepoint(sp);
            }
          }
          c.commit();
          measured += System.nanoTime() - start;
          if (h <= o.blocks() - o.rollback()) {
            expected.add(block);
          } else {
            undone.add(block);
          }
        }
        // Step 3, rollbackBlock(B - R), as such a node would do it: the balances back, the rows of
        // the blocks above B - R deleted, in one transaction.
        long start = System.nanoTime();
        for (int b = undone.size() - 1; b >= 0; b--) {
          List<W1Transfer> block = undone.get(b);
          for (int k = block.size() - 1; k >= 0; k--) {
            W1Transfer t = block.get(k);
            if (!t.rolledBack()) {
              book(t, credit, debit, url); // the other way round
            }
          }
        }
        for (String table : List.of("plain_transfer", "plain_transaction")) {
          try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table
              + " WHERE height > ?")) {
            delete.setLong(1, o.blocks() - o.rollback());
            delete.executeUpdate();
          }
        }
        c.commit();
        measured += System.nanoTime() - start;
        requirePlainResult(c, o, expected);
        return o.blocks() * (double) o.transfers() / (measured / 1e9);
      }
    }
  }

  /**
   * The transfer's two balance changes: amount + fee through {@code onSender}, the amount through
   * {@code onRecipient} (debit then credit to book it, credit then debit to undo it).
   */
  private static void book(W1Transfer t, PreparedStatement onSender,
      PreparedStatement onRecipient, String url) throws SQLException {
    bindBig(onSender, 1, t.amount().add(W1Workload.FEE), url);
    onSender.setString(2, t.senderId());
    onSender.executeUpdate();
    bindBig(onRecipient, 1, t.amount(), url);
    onRecipient.setString(2, t.recipientId());
    onRecipient.executeUpdate();
  }

  /** The plain node's own check, as SDB's: a wrong baseline would make every ratio wrong. */
  private static void requirePlainResult(Connection c, W1Options o, W1Expected expected)
      throws SQLException {
    long wrong = 0;
    long accounts = 0;
    try (Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT address, gny FROM plain_account")) {
      while (rs.next()) {
        accounts++;
        if (!expected.holds(rs.getString(1), new BigDecimal(rs.getString(2)).toBigIntegerExact())) {
          wrong++;
        }
      }
    }
    long transfers = count(c, "plain_transfer");
    long transactions = count(c, "plain_transaction");
    if (accounts != o.accounts() || wrong != 0 || transfers != o.committedTransfers()
        || transactions != o.committedTransfers()) {
      throw new IllegalStateException("the plain-JDBC baseline's own check failed: accounts "
          + accounts + ", " + wrong + " wrong balances, transfers " + transfers
          + ", transactions " + transactions + " (expected " + o.committedTransfers() + ")");
    }
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Rows per second of writing W1's final rows at the limit, and the same time as transfers per
   * second counted as SDB's are (all B*T transfers of step 2, the work that leads to those rows),
   * so that SDB's transfers per second over this is the limit's time over SDB's.
   */
  static double[] limit(W1Options o, String url) throws SQLException {
    W1Workload workload = new W1Workload(o.accounts(), Mulberry32.w1());
    List<W1Transfer> rows = new java.util.ArrayList<>();
    for (long h = 1; h <= o.blocks() - o.rollback(); h++) {
      for (W1Transfer t : workload.nextBlock(h, o.transfers())) {
        if (!t.rolledBack()) {
          rows.add(t);
        }
      }
    }
    try (Connection c = DriverManager.getConnection(url)) {
      createTables(c, url, "limit");
      c.setAutoCommit(false);
      long start = System.nanoTime();
      try (PreparedStatement a = c.prepareStatement(insert(url, "limit_account", 5));
          PreparedStatement tr = c.prepareStatement(insert(url, "limit_transfer", 8));
          PreparedStatement tx = c.prepareStatement(insert(url, "limit_transaction", 10))) {
        addAccounts(a, url, o.accounts());
        int n = 0;
        for (W1Transfer t : rows) {
          bindTransfer(tr, t, url);
          tr.addBatch();
          bindTransaction(tx, t, url);
          tx.addBatch();
          if (++n % 10_000 == 0) {
            tr.executeBatch();
            tx.executeBatch();
          }
        }
        tr.executeBatch();
        tx.executeBatch();
      }
      c.commit();
      double seconds = (System.nanoTime() - start) / 1e9;
      long total = o.accounts() + 2L * rows.size();
      return new double[] {total / seconds, (double) o.blocks() * o.transfers() / seconds};
    }
  }

  /** Transfers per second of the same operations on bare HashMaps. */
  static double hashMaps(W1Options o) {
    Map<String, BigInteger> accounts = new HashMap<>();
    for (int s = 0; s < o.accounts(); s++) {
      accounts.put(W1Workload.address(s), W1Workload.GENESIS_BALANCE);
    }
    Map<String, Object[]> transfers = new HashMap<>();
    Map<String, Object[]> transactions = new HashMap<>();
    W1Workload workload = new W1Workload(o.accounts(), Mulberry32.w1());
    long measured = 0;
    for (long h = 1; h <= o.blocks(); h++) {
      List<W1Transfer> block = workload.nextBlock(h, o.transfers());
      long start = System.nanoTime();
      Set<String> locks = new HashSet<>();
      for (W1Transfer t : block) {
        String lock = "basic.transfer@" + t.id();
        if (!locks.add(lock)) {
          throw new IllegalStateException("lock " + lock);
        }
        BigInteger debit = t.amount().add(W1Workload.FEE);
        accounts.merge(t.senderId(), debit.negate(), BigInteger::add);
        accounts.merge(t.recipientId(), t.amount(), BigInteger::add);
        transfers.put(t.id(), new Object[] {t.id(), t.senderId(), t.recipientId(), null, "GNY",
            t.amount(), t.timestamp(), t.height()});
        transactions.put(t.id(), new Object[] {t.id(), 0, t.timestamp(), t.senderId(),
            t.senderPublicKey(), W1Workload.FEE, t.args(), "", t.signatures(), t.height()});
        if (t.rolledBack()) {
          transfers.remove(t.id());
          transactions.remove(t.id());
          accounts.merge(t.senderId(), debit, BigInteger::add);
          accounts.merge(t.recipientId(), t.amount().negate(), BigInteger::add);
          locks.remove(lock);
        }
      }
      measured += System.nanoTime() - start;
    }
    return o.blocks() * (double) o.transfers() / (measured / 1e9);
  }

  private static void createTables(Connection c, String url, String prefix) throws SQLException {
    String big = W1Database.bigIntegerType(url);
    String q = quoteFor(url);
    try (Statement st = c.createStatement()) {
      if (url.startsWith("jdbc:sqlite")) { // the settings of SDB's flushing connection
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA synchronous=FULL");
        st.execute("PRAGMA cache_size=-" + 1024 * SqlStateStore.DEFAULT_SQLITE_CACHE_MB);
      }
      st.execute("CREATE TABLE " + prefix + "_account (address VARCHAR(50) PRIMARY KEY, username "
          + "VARCHAR(20) UNIQUE, gny " + big + " NOT NULL, " + q + "isDelegate" + q
          + " INT NOT NULL, " + q + "_version_" + q + " BIGINT NOT NULL)");
      st.execute("CREATE TABLE " + prefix + "_transfer (tid VARCHAR(64) PRIMARY KEY, "
          + q + "senderId" + q + " VARCHAR(50) NOT NULL, " + q + "recipientId" + q
          + " VARCHAR(50) NOT NULL, " + q + "recipientName" + q + " VARCHAR(20), currency "
          + "VARCHAR(30) NOT NULL, amount " + big + " NOT NULL, " + q + "timestamp" + q
          + " BIGINT NOT NULL, height BIGINT NOT NULL)");
      for (String col : List.of("senderId", "recipientId", "currency", "timestamp", "height")) {
        st.execute("CREATE INDEX " + prefix + "_transfer_" + col.toLowerCase() + " ON " + prefix
            + "_transfer (" + q + col + q + ")");
      }
      st.execute("CREATE TABLE " + prefix + "_transaction (id VARCHAR(64) PRIMARY KEY, type INT "
          + "NOT NULL, " + q + "timestamp" + q + " BIGINT NOT NULL, " + q + "senderId" + q
          + " VARCHAR(50) NOT NULL, " + q + "senderPublicKey" + q + " VARCHAR(64) NOT NULL, fee "
          + big + " NOT NULL, args TEXT, message VARCHAR(256), signatures TEXT, height BIGINT "
          + "NOT NULL)");
    }
  }

  private static void insertAccounts(Connection c, String url, String prefix, int accounts)
      throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement a = c.prepareStatement(insert(url, prefix + "_account", 5))) {
      addAccounts(a, url, accounts);
    }
    c.commit();
    c.setAutoCommit(true);
  }

  /** Accounts 0..n-1 at their genesis balance, in batches of 10,000. */
  private static void addAccounts(PreparedStatement a, String url, int accounts)
      throws SQLException {
    for (int s = 0; s < accounts; s++) {
      a.setString(1, W1Workload.address(s));
      a.setString(2, null);
      bindBig(a, 3, W1Workload.GENESIS_BALANCE, url);
      a.setInt(4, 0);
      a.setLong(5, 1);
      a.addBatch();
      if (s % 10_000 == 9_999) {
        a.executeBatch();
      }
    }
    a.executeBatch();
  }

  private static void bindTransfer(PreparedStatement ps, W1Transfer t, String url)
      throws SQLException {
    ps.setString(1, t.id());
    ps.setString(2, t.senderId());
    ps.setString(3, t.recipientId());
    ps.setString(4, null);
    ps.setString(5, "GNY");
    bindBig(ps, 6, t.amount(), url);
    ps.setLong(7, t.timestamp());
    ps.setLong(8, t.height());
  }

  private static void bindTransaction(PreparedStatement ps, W1Transfer t, String url)
      throws SQLException {
    ps.setString(1, t.id());
    ps.setInt(2, 0);
    ps.setLong(3, t.timestamp());
    ps.setString(4, t.senderId());
    ps.setString(5, t.senderPublicKey());
    bindBig(ps, 6, W1Workload.FEE, url);
    ps.setString(7, t.args());
    ps.setString(8, "");
    ps.setString(9, t.signatures());
    ps.setLong(10, t.height());
  }

  private static void bindBig(PreparedStatement ps, int i, BigInteger v, String url)
      throws SQLException {
    if (url.startsWith("jdbc:sqlite")) {
      ps.setLong(i, v.longValueExact());
    } else {
      ps.setBigDecimal(i, new BigDecimal(v));
    }
  }

  private static String insert(String url, String table, int columns) {
    return "INSERT INTO " + table + " VALUES (" + "?,".repeat(columns - 1) + "?)";
  }

  private static String quoteFor(String url) {
    return url.startsWith("jdbc:mariadb") || url.startsWith("jdbc:mysql") ? "`" : "\"";
  }
}
