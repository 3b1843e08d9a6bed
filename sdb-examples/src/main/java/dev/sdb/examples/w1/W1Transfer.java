package dev.sdb.examples.w1;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * One generated W1 transfer j of block {@code height}, with everything that needs hashing already
 * computed, so that a benchmark measures the state writes and not SHA-256.
 *
 * @param id the transaction id: hex SHA-256 of {@code "tx-" + height + "-" + j}
 * @param senderId the sender's address ({@link W1Workload#address})
 * @param recipientId the recipient's address
 * @param amount 1 to 1,000,000
 * @param timestamp {@code height * 10 + j}
 * @param senderPublicKey hex SHA-256 of {@code "pk-" + s}
 * @param args JSON {@code [amount, "recipientId"]}
 * @param signatures JSON array of one 128-hex-character string
 * @param rolledBack whether the contract is rolled back ({@code j % 50 == 49})
 */
public record W1Transfer(
    long height, int j, String id, String senderId, String recipientId, BigInteger amount,
    long timestamp, String senderPublicKey, String args, String signatures, boolean rolledBack) {

  /**
   * The same transfer as a node's decoder makes it from the network just before it runs the
   * block: every string a new, equal instance made from its UTF-8 bytes, with its characters just
   * written and its hash code not computed yet. ({@code new String(s)} would not do: it shares
   * {@code s}'s characters and copies its hash code.)
   */
  public W1Transfer decoded() {
    return new W1Transfer(height, j, decode(id), decode(senderId), decode(recipientId), amount,
        timestamp, decode(senderPublicKey), decode(args), decode(signatures), rolledBack);
  }

  /** {@code s} as a decoder makes it: a new instance from its UTF-8 bytes ({@link #decoded}). */
  public static String decode(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }
}
