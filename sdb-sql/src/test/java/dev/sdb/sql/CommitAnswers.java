package dev.sdb.sql;

/** Breaks the answer to the store's next COMMIT, for tests outside this package. */
public final class CommitAnswers {
  private CommitAnswers() {}

  /** The next commit goes through, but its answer is lost. */
  public static void loseNext() {
    SqlStateStore.loseNextCommitAnswerForTest = true;
  }

  /** The next commit fails on its way to the database: nothing is committed. */
  public static void failNext() {
    SqlStateStore.failNextCommitForTest = true;
  }

  /** The next commit goes through, its answer is lost, and asking the database again fails. */
  public static void loseNextAndTheCheck() {
    SqlStateStore.loseNextCommitAnswerForTest = true;
    SqlStateStore.failNextOutcomeCheckForTest = true;
  }

  public static void reset() {
    SqlStateStore.loseNextCommitAnswerForTest = false;
    SqlStateStore.failNextCommitForTest = false;
    SqlStateStore.failNextOutcomeCheckForTest = false;
  }
}
