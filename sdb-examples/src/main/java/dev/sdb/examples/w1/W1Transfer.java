package dev.sdb.examples.w1;

import java.math.BigInteger;

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
   * The same transfer with new, equal String instances for the id and the addresses, whose hash
   * codes are not computed yet: as when a node decodes a transaction from the network.
   */
  public W1Transfer withFreshStrings() {
    return new W1Transfer(height, j, new String(id), new String(senderId),
        new String(recipientId), amount, timestamp, senderPublicKey, args, signatures, rolledBack);
  }
}
