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
 * @param fields further header fields; values must be JSON scalars (String, Number, Boolean)
 */
public record BlockHeader(
    long height, String id, @Nullable String prevBlockId, long timestamp,
    Map<String, Object> fields) {

  public BlockHeader {
    if (height < 0) {
      throw new IllegalArgumentException("block height must not be negative: " + height);
    }
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("block " + height + ": id must not be blank");
    }
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      Object v = e.getValue();
      if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
        throw new IllegalArgumentException("block " + height + ": header field '" + e.getKey()
            + "' must be a String, Number or Boolean, not " + v);
      }
    }
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  public BlockHeader(long height, String id, @Nullable String prevBlockId, long timestamp) {
    this(height, id, prevBlockId, timestamp, Map.of());
  }
}
