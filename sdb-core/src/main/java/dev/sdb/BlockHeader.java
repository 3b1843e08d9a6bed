package dev.sdb;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The header of a block: height, id, the previous block's id, timestamp, and any further header
 * fields the chain has (delegate, signature, payload hash...). Immutable.
 *
 * @param fields further header fields; values must be immutable JSON scalars (String, Boolean,
 *     and the JDK's immutable numbers). They are stored as JSON, so a header read back from the
 *     database (after a restart, or by the reader) has its numbers as JSON reading gives them:
 *     integers as Integer, Long or BigInteger by size, decimals as Double. Give exact decimals as
 *     strings.
 */
public record BlockHeader(
    long height, String id, @Nullable String prevBlockId, long timestamp,
    Map<String, Object> fields) {

  /** The longest block id (and previous block id) every database stores as it is. */
  public static final int MAX_ID_LENGTH = 128;

  public BlockHeader {
    if (height < 0) {
      throw new IllegalArgumentException("block height must not be negative: " + height);
    }
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("block " + height + ": id must not be blank");
    }
    requireStorableId(height, "id", id);
    if (prevBlockId != null) {
      requireStorableId(height, "prevBlockId", prevBlockId);
    }
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      Object v = e.getValue();
      if (!isImmutableScalar(v)) {
        throw new IllegalArgumentException("block " + height + ": header field '" + e.getKey()
            + "' must be a String, Boolean or immutable Number (Integer, Long, Short, Byte, "
            + "Double, Float, BigInteger, BigDecimal), not " + (v == null ? "null"
            : v.getClass().getSimpleName() + " " + v));
      }
    }
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /**
   * Refused here rather than by the database at the flush: a NUL (PostgreSQL refuses it) or an id
   * longer than the column would fail every flush from then on, with the block still queued.
   */
  private static void requireStorableId(long height, String what, String id) {
    try {
      dev.sdb.schema.ColumnType.STRING.coerce(id, MAX_ID_LENGTH);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("block " + height + ": " + what + ": " + e.getMessage());
    }
  }

  /** Mutable numbers (AtomicLong, LongAdder...) could change the header after it was committed. */
  private static boolean isImmutableScalar(@Nullable Object v) {
    return v instanceof String || v instanceof Boolean || v instanceof Integer
        || v instanceof Long || v instanceof Short || v instanceof Byte || v instanceof Double
        || v instanceof Float || (v != null && (v.getClass() == java.math.BigInteger.class
            || v.getClass() == java.math.BigDecimal.class)); // (both classes can be extended)
  }

  public BlockHeader(long height, String id, @Nullable String prevBlockId, long timestamp) {
    this(height, id, prevBlockId, timestamp, Map.of());
  }
}
