package dev.sdb.examples.w1;

import dev.sdb.BlockHeader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Generates W1's blocks of transfers from its random stream, exactly as step 2 of the benchmark
 * describes: for transfer j of block h, {@code s = floor(next()*A)}, {@code r = floor(next()*A)}
 * ({@code (s+1) % A} if equal), {@code amount = 1 + floor(next()*1000000)}. Blocks must be drawn
 * in height order from one stream; the stream is not shared with anything else. Not thread-safe.
 */
public final class W1Workload {
  /** Every account's balance at genesis: 10^15. */
  public static final BigInteger GENESIS_BALANCE = BigInteger.TEN.pow(15);

  /** The fee of every transfer. */
  public static final BigInteger FEE = BigInteger.valueOf(10_000_000);

  private final int accounts;
  private final Mulberry32 random;

  /**
   * @param accounts A, the number of accounts created at genesis
   * @param random the stream to draw from ({@link Mulberry32#w1()} for a W1 run)
   */
  public W1Workload(int accounts, Mulberry32 random) {
    if (accounts < 2) {
      throw new IllegalArgumentException("W1 needs at least 2 accounts: " + accounts);
    }
    this.accounts = accounts;
    this.random = random;
  }

  public int accounts() {
    return accounts;
  }

  /** The stream this workload draws from; step 4's reads continue it. */
  public Mulberry32 random() {
    return random;
  }

  /** The next block's transfers, drawn from the stream; {@code height} is 1 for the first. */
  public List<W1Transfer> nextBlock(long height, int transfers) {
    List<W1Transfer> block = new ArrayList<>(transfers);
    for (int j = 0; j < transfers; j++) {
      int s = random.nextInt(accounts);
      int r = random.nextInt(accounts);
      if (r == s) {
        r = (s + 1) % accounts;
      }
      BigInteger amount = BigInteger.valueOf(1 + random.nextInt(1_000_000));
      String id = sha256Hex("tx-" + height + "-" + j);
      String recipient = address(r);
      block.add(new W1Transfer(height, j, id, address(s), recipient, amount, height * 10 + j,
          sha256Hex("pk-" + s), "[" + amount + ",\"" + recipient + "\"]",
          "[\"" + signature(id) + "\"]", j % 50 == 49));
    }
    return block;
  }

  /** Account s's address: {@code "G"} and s as 10 digits, zero-padded. */
  public static String address(int s) {
    return String.format("G%010d", s);
  }

  /** The account number of an {@link #address}. */
  static int account(String address) {
    return Integer.parseInt(address, 1, address.length(), 10);
  }

  /**
   * Block h's header: id the hex SHA-256 of {@code "block-" + h}, the previous block's id (none at
   * height 0), timestamp {@code h * 10}.
   */
  public static BlockHeader blockHeader(long height) {
    return new BlockHeader(height, sha256Hex("block-" + height),
        height == 0 ? null : sha256Hex("block-" + (height - 1)), height * 10);
  }

  /**
   * W1's stand-in for a transaction's signature: 128 hex characters, the hex SHA-256 of {@code
   * "sig-" + id} followed by that of {@code "sig2-" + id}.
   */
  public static String signature(String id) {
    return sha256Hex("sig-" + id) + sha256Hex("sig2-" + id);
  }

  public static String sha256Hex(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
