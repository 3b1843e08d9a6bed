package dev.sdb.sql;

import dev.sdb.ChangeSet;
import dev.sdb.ChangeSetJson;
import dev.sdb.Delta;
import dev.sdb.schema.Schema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * How a block's change set is kept in {@code sdb_change_set.deltas}: the public JSON array of its
 * deltas, zlib-compressed (about 1/18 of the text for W1 blocks), so that the history that makes
 * rollback after a restart possible costs little to write. Any zlib implementation reads it back.
 *
 * <p>Blocks are encoded ahead of the flush by {@link #prepare} on the flusher's thread; a prepared
 * encoding is used only for the very change set it was made from (a block rolled back and
 * replaced at the same height is encoded again).
 */
final class HistoryCodec {
  private record Prepared(ChangeSet set, byte[] bytes) {}

  private final ConcurrentHashMap<Long, Prepared> prepared = new ConcurrentHashMap<>();

  void prepare(ChangeSet set) {
    prepared.put(set.height(), new Prepared(set, encode(set.deltas())));
  }

  /** The encoding of this change set, prepared earlier or made now. */
  byte[] encoded(ChangeSet set) {
    Prepared p = prepared.remove(set.height());
    return p != null && p.set() == set ? p.bytes() : encode(set.deltas());
  }

  /** Forgets prepared encodings at or below a height (flushed: nobody will ask for them). */
  void forgetThrough(long height) {
    prepared.keySet().removeIf(h -> h <= height);
  }

  /** How many encodings wait for their flush; for tests. */
  int preparedCount() {
    return prepared.size();
  }

  /** Forgets prepared encodings above a height (after a rollback). */
  void forgetAbove(long height) {
    prepared.keySet().removeIf(h -> h > height);
  }

  static byte[] encode(List<Delta> deltas) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, deflater, 1 << 16)) {
      ChangeSetJson.writeDeltas(deltas, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deflater.end();
    }
    return bytes.toByteArray();
  }

  static List<Delta> decode(byte[] encoded, Schema schema) {
    return ChangeSetJson.readDeltas(new InflaterInputStream(new ByteArrayInputStream(encoded)),
        schema);
  }
}
