package dev.sdb.sql;

import dev.sdb.BinaryDeltas;
import dev.sdb.BlockHeader;
import dev.sdb.ChangeSet;
import dev.sdb.ChangeSetJson;
import dev.sdb.Delta;
import dev.sdb.StoreException;
import dev.sdb.schema.Schema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Deflater;
import java.util.zip.InflaterInputStream;

/**
 * How a block's change set is kept in {@code sdb_change_set.deltas}: a format byte, then the
 * zlib-compressed compact form of its deltas ({@link BinaryDeltas}): for W1's blocks a third of
 * the compact form, and 1.8 times cheaper to make than compressed JSON. Rows written by
 * earlier releases (zlib-compressed JSON, which starts with zlib's 0x78) still read back. {@link
 * SdbReader#changeSet} gives any stored change set back, and {@code ChangeSet.deltasJson()} its
 * public JSON.
 *
 * <p>Blocks are encoded ahead of the flush by {@link #prepare} on the flusher's thread; a prepared
 * encoding is used only for the very change set it was made from (a block rolled back and
 * replaced at the same height is encoded again).
 */
final class HistoryCodec {
  /** The first byte of the current format: compressed compact deltas. */
  private static final byte COMPACT_ZLIB = 1;
  /** The first byte of every zlib stream SDB ever wrote (deflate, 32K window): old JSON rows. */
  private static final byte JSON_ZLIB = 0x78;
  /** More than any block's deltas: a row that inflates beyond it is corrupt, not read on. */
  private static final int MAX_INFLATED = 1 << 30;

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
    byte[] compact = BinaryDeltas.encode(deltas);
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      deflater.setInput(compact);
      deflater.finish();
      byte[] out = new byte[Math.max(64, compact.length / 4)];
      out[0] = COMPACT_ZLIB;
      int size = 1;
      while (!deflater.finished()) {
        if (size == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        size += deflater.deflate(out, size, out.length - size);
      }
      return Arrays.copyOf(out, size);
    } finally {
      deflater.end();
    }
  }

  /** A stored change set: its block's header and {@code sdb_change_set.deltas}. */
  static ChangeSet read(BlockHeader header, byte[] encoded, Schema schema) {
    try {
      return new ChangeSet(header, decode(encoded, schema));
    } catch (IOException | RuntimeException e) {
      throw new StoreException("the change set of block " + header.height() + " cannot be read",
          e);
    }
  }

  static List<Delta> decode(byte[] encoded, Schema schema) throws IOException {
    if (encoded.length > 0 && encoded[0] == COMPACT_ZLIB) {
      byte[] compact;
      try (InputStream in = new InflaterInputStream(
          new ByteArrayInputStream(encoded, 1, encoded.length - 1))) {
        compact = in.readNBytes(MAX_INFLATED + 1);
      }
      if (compact.length > MAX_INFLATED) {
        throw new IOException("change set inflates beyond " + MAX_INFLATED + " bytes");
      }
      return BinaryDeltas.decode(compact, 0, compact.length, schema);
    }
    if (encoded.length > 0 && encoded[0] == JSON_ZLIB) {
      return ChangeSetJson.readDeltas(new InflaterInputStream(new ByteArrayInputStream(encoded)),
          schema);
    }
    throw new IOException("unknown change set encoding (first byte "
        + (encoded.length == 0 ? "missing" : Integer.toHexString(encoded[0] & 0xFF)) + ")");
  }
}
