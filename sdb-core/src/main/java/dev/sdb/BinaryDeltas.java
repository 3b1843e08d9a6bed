package dev.sdb;

import dev.sdb.schema.Column;
import dev.sdb.schema.ColumnType;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The compact binary form of a block's deltas: what the write-ahead log and the history table
 * keep. Several times smaller and faster to write and read than the JSON format, which stays the
 * public, readable one ({@link ChangeSet#deltasJson()}).
 *
 * <p>A record starts with a dictionary of the models it uses and their columns' names and types,
 * so that it reads back correctly after a release added columns (deltas refer to columns by their
 * position in that dictionary, not in the current schema) or removed them (their changes are
 * read by the recorded type and left out: the migration keeps such a column's values but SDB no
 * longer writes it). Numbers are big-endian and names are in the modified UTF-8 of {@link
 * java.io.DataOutput#writeUTF}:
 *
 * <pre>
 * u16 0x8000 | models, per model: utf name, u16 columns, per column: utf name, u8 type
 * i32 deltas, per delta: u8 type, u16 model, i64 dbVersion, the primary key values,
 *   u16 changes, per change: u16 column, [value original unless NEW], [value current unless DELETE]
 * type: 0 STRING, 1 INT, 2 LONG, 3 BIG_INTEGER, 4 BOOLEAN, 5 BYTES, 6 JSON
 * value: u8 0 (null) | u8 1 then STRING/JSON: i32 length + UTF-8 | INT: i32 | LONG: i64 |
 *   BIG_INTEGER: i32 length + two's complement | BOOLEAN: u8 | BYTES: i32 length + bytes
 * </pre>
 *
 * Records of the first releases (through {@code DataOutputStream}) have the same layout without
 * the 0x8000 flag and the column types; they still read back, except that a column removed since
 * cannot be read past (its values' length depends on a type the record does not give).
 */
public final class BinaryDeltas {
  private static final byte NULL = 0;
  private static final byte PRESENT = 1;
  /** The flag in a record's model count that says its dictionary gives the columns' types. */
  private static final int TYPED = 0x8000;
  /**
   * Each thread's working buffer, kept between calls: the history encodes on the flusher's thread,
   * so it pays for one array (the result) per block instead of a growing series.
   */
  private static final ThreadLocal<Sink> SCRATCH = ThreadLocal.withInitial(Sink::new);

  private BinaryDeltas() {}

  /** The deltas in the compact form. */
  public static byte[] encode(List<Delta> deltas) {
    Sink out = SCRATCH.get();
    try {
      write(deltas, out);
      return out.toByteArray();
    } finally {
      out.reset();
    }
  }

  /**
   * Reads deltas written by {@link #encode}.
   *
   * @throws IOException if the bytes are not such a record or name a model or property that
   *     {@code schema} does not have
   */
  public static List<Delta> decode(byte[] bytes, int offset, int length, Schema schema)
      throws IOException {
    try {
      return read(ByteBuffer.wrap(bytes, offset, length), schema);
    } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new IOException("malformed compact deltas: " + e, e);
    }
  }

  /** Appends the compact form to {@code out}; the log frames it in its own record this way. */
  static void encodeInto(List<Delta> deltas, Sink out) {
    write(deltas, out);
  }

  private static void write(List<Delta> deltas, Sink out) {
    Map<ModelSchema, Integer> models = new IdentityHashMap<>();
    List<ModelSchema> order = new ArrayList<>();
    for (Delta d : deltas) {
      if (models.putIfAbsent(d.model(), order.size()) == null) {
        order.add(d.model());
      }
    }
    if (order.size() >= TYPED) {
      throw new IllegalArgumentException(order.size() + " models in one block; at most "
          + (TYPED - 1));
    }
    out.u16(TYPED | order.size());
    for (ModelSchema m : order) {
      out.utf(m.name());
      out.u16(m.columns().size());
      for (Column c : m.columns()) {
        out.utf(c.name());
        out.u8(code(c.type()));
      }
    }
    out.i32(deltas.size());
    ModelSchema last = null;
    int lastIndex = 0;
    for (Delta d : deltas) {
      if (d.model() != last) {
        last = d.model();
        lastIndex = models.get(last);
      }
      out.u8(d.type().code());
      out.u16(lastIndex);
      out.i64(d.dbVersion());
      List<Column> pk = d.model().primaryKey();
      List<Object> key = ModelSchema.keyValues(d.key(), pk.size());
      for (int i = 0; i < key.size(); i++) {
        value(out, pk.get(i), key.get(i));
      }
      out.u16(d.changeCount());
      for (int i = 0; i < d.changeCount(); i++) {
        Column c = d.changedColumn(i);
        out.u16(c.index());
        if (d.type() != DeltaType.NEW) {
          value(out, c, d.originalValue(i));
        }
        if (d.type() != DeltaType.DELETE) {
          value(out, c, d.currentValue(i));
        }
      }
    }
  }

  /** The dictionary's code of a column type; fixed, whatever order the enum has. */
  private static int code(ColumnType type) {
    return switch (type) {
      case STRING -> 0;
      case INT -> 1;
      case LONG -> 2;
      case BIG_INTEGER -> 3;
      case BOOLEAN -> 4;
      case BYTES -> 5;
      case JSON -> 6;
    };
  }

  private static @Nullable ColumnType type(int code) {
    return switch (code) {
      case 0 -> ColumnType.STRING;
      case 1 -> ColumnType.INT;
      case 2 -> ColumnType.LONG;
      case 3 -> ColumnType.BIG_INTEGER;
      case 4 -> ColumnType.BOOLEAN;
      case 5 -> ColumnType.BYTES;
      case 6 -> ColumnType.JSON;
      default -> null;
    };
  }

  private static void value(Sink out, Column c, @Nullable Object v) {
    if (v == null) {
      out.u8(NULL);
      return;
    }
    out.u8(PRESENT);
    switch (c.type()) {
      case STRING, JSON -> out.bytes(((String) v).getBytes(StandardCharsets.UTF_8));
      case INT -> out.i32((Integer) v);
      case LONG -> out.i64((Long) v);
      case BIG_INTEGER -> out.bytes(((BigInteger) v).toByteArray());
      case BOOLEAN -> out.u8((Boolean) v ? 1 : 0);
      case BYTES -> out.bytes((byte[]) v);
    }
  }

  /**
   * A column of a record's dictionary: the schema's column, or {@code null} for one the schema
   * no longer declares, and the type its values were written with.
   */
  private record Recorded(String model, String name, @Nullable Column column, ColumnType type) {

    /**
     * Reads a value written with the recorded type; where the schema declares another type now,
     * converts it (an int to a long or big integer, a long that fits to an int, text between
     * string and JSON), or fails on this value only.
     */
    @Nullable Object read(ByteBuffer in) throws IOException {
      Object v = value(in, type);
      if (v == null || column == null || column.type() == type) {
        return v;
      }
      try {
        return column.type().coerce(v, Integer.MAX_VALUE);
      } catch (IllegalArgumentException e) {
        throw new IOException("logged delta has " + model + "." + name + " as " + type + " and "
            + "the schema declares it " + column.type() + "; a value (" + describe(v)
            + ") does not convert: " + e.getMessage());
      }
    }
  }

  private static List<Delta> read(ByteBuffer in, Schema schema) throws IOException {
    int header = Short.toUnsignedInt(in.getShort());
    boolean typed = (header & TYPED) != 0;
    int modelCount = header & ~TYPED;
    List<ModelSchema> models = new ArrayList<>(modelCount);
    List<Recorded[]> columns = new ArrayList<>(modelCount);
    List<Recorded[]> keys = new ArrayList<>(modelCount);
    for (int i = 0; i < modelCount; i++) {
      String name = utf(in);
      ModelSchema m = schema.model(name);
      if (m == null) {
        throw new IOException("logged delta names unknown model '" + name + "'");
      }
      Recorded[] cols = new Recorded[Short.toUnsignedInt(in.getShort())];
      for (int c = 0; c < cols.length; c++) {
        cols[c] = recorded(in, m, typed);
      }
      models.add(m);
      columns.add(cols);
      keys.add(keyColumns(m, cols));
    }
    int count = in.getInt();
    if (count < 0 || count > in.remaining() / 13) { // a delta takes 13 bytes at least
      throw new IOException("bad delta count " + count + " in a logged record");
    }
    List<Delta> deltas = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      DeltaType type = DeltaType.ofCode(in.get());
      int mi = Short.toUnsignedInt(in.getShort());
      ModelSchema m = models.get(mi);
      long version = in.getLong();
      Object[] keyRow = new Object[m.columns().size()];
      for (Recorded k : keys.get(mi)) {
        keyRow[k.column().index()] = k.read(in);
      }
      int changes = Short.toUnsignedInt(in.getShort());
      List<PropertyChange> list = new ArrayList<>(changes);
      for (int c = 0; c < changes; c++) {
        Recorded col = columns.get(mi)[Short.toUnsignedInt(in.getShort())];
        Object original = type != DeltaType.NEW ? col.read(in) : null;
        Object current = type != DeltaType.DELETE ? col.read(in) : null;
        if (col.column() != null) {
          list.add(new PropertyChange(col.column(), original, current));
        }
      }
      deltas.add(new Delta(type, m, m.keyOf(keyRow), version, list));
    }
    if (in.hasRemaining()) {
      throw new IOException(in.remaining() + " bytes after the last delta");
    }
    return deltas;
  }

  /** A value for a message: short text as it is, else its kind and size (it may be large). */
  private static String describe(Object v) {
    if (v instanceof byte[] b) {
      return b.length + " bytes";
    }
    String text = v.toString();
    return text.length() <= 40 ? text : v.getClass().getSimpleName() + " of " + text.length()
        + " characters";
  }

  private static Recorded recorded(ByteBuffer in, ModelSchema m, boolean typed)
      throws IOException {
    String name = utf(in);
    Column c = m.column(name);
    if (!typed) {
      if (c == null) {
        throw new IOException("logged delta names property " + m.name() + "." + name + ", which "
            + "the schema no longer declares; a record of an earlier release does not give its "
            + "type, so it cannot be read past");
      }
      return new Recorded(m.name(), name, c, c.type());
    }
    int code = in.get();
    ColumnType type = type(code);
    if (type == null) {
      throw new IOException("logged delta gives " + m.name() + "." + name + " the unknown "
          + "column type " + code);
    }
    return new Recorded(m.name(), name, c, type);
  }

  /** The primary key's columns as the record has them, in the schema's key order. */
  private static Recorded[] keyColumns(ModelSchema m, Recorded[] recorded) throws IOException {
    Recorded[] keys = new Recorded[m.primaryKey().size()];
    for (int i = 0; i < keys.length; i++) {
      Column k = m.primaryKey().get(i);
      for (Recorded r : recorded) {
        if (r.column() == k) {
          keys[i] = r;
        }
      }
      if (keys[i] == null) {
        throw new IOException("logged delta of " + m.name() + " lacks its key column " + k.name());
      }
    }
    return keys;
  }

  private static @Nullable Object value(ByteBuffer in, ColumnType type) throws IOException {
    if (in.get() == NULL) {
      return null;
    }
    return switch (type) {
      case STRING, JSON -> new String(bytes(in), StandardCharsets.UTF_8);
      case INT -> in.getInt();
      case LONG -> in.getLong();
      case BIG_INTEGER -> new BigInteger(bytes(in));
      case BOOLEAN -> in.get() != 0;
      case BYTES -> bytes(in);
    };
  }

  private static byte[] bytes(ByteBuffer in) throws IOException {
    int n = in.getInt();
    if (n < 0 || n > in.remaining()) {
      throw new IOException("bad length " + n + " in a logged delta");
    }
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  /** Modified UTF-8 with a u16 length, as {@link java.io.DataInput#readUTF}. */
  private static String utf(ByteBuffer in) throws IOException {
    int length = Short.toUnsignedInt(in.getShort());
    byte[] b = new byte[length];
    in.get(b);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int x = b[i] & 0xFF;
      if (x < 0x80) {
        s.append((char) x);
      } else if ((x & 0xE0) == 0xC0 && i + 1 < length) {
        s.append((char) (((x & 0x1F) << 6) | (b[++i] & 0x3F)));
      } else if ((x & 0xF0) == 0xE0 && i + 2 < length) {
        s.append((char) (((x & 0x0F) << 12) | ((b[++i] & 0x3F) << 6) | (b[++i] & 0x3F)));
      } else {
        throw new IOException("malformed name in a logged record");
      }
    }
    return s.toString();
  }

  /**
   * A growable big-endian byte buffer; unlike a DataOutputStream on a stream, unsynchronized. A
   * buffer kept for reuse ({@link #Sink()}, {@link #reset()}) is not kept once it grew beyond
   * {@value #MAX_KEPT} bytes for a large block.
   */
  static final class Sink {
    private static final int INITIAL = 1 << 16;
    private static final int MAX_KEPT = 4 << 20;

    private byte[] buf;
    private int size;

    /** A buffer to be reused, record after record. */
    Sink() {
      this(INITIAL);
    }

    /** A buffer for one record of about {@code capacity} bytes. */
    Sink(int capacity) {
      buf = new byte[capacity];
    }

    /** The bytes written so far are {@code array()[0, size())}. */
    byte[] array() {
      return buf;
    }

    int size() {
      return size;
    }

    /** Starts over, with a small array again if this one grew beyond {@value #MAX_KEPT} bytes. */
    void reset() {
      size = 0;
      if (buf.length > MAX_KEPT) {
        buf = new byte[INITIAL];
      }
    }

    /** Overwrites four bytes already written (a frame's length or checksum). */
    void i32At(int position, int v) {
      for (int shift = 24; shift >= 0; shift -= 8) {
        buf[position++] = (byte) (v >>> shift);
      }
    }

    /** The bytes as they are, without a length. */
    void raw(byte[] b) {
      room(b.length);
      System.arraycopy(b, 0, buf, size, b.length);
      size += b.length;
    }

    private void room(int n) {
      if (size + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
      }
    }

    void u8(int v) {
      room(1);
      buf[size++] = (byte) v;
    }

    void u16(int v) {
      room(2);
      buf[size++] = (byte) (v >>> 8);
      buf[size++] = (byte) v;
    }

    void i32(int v) {
      room(4);
      for (int shift = 24; shift >= 0; shift -= 8) {
        buf[size++] = (byte) (v >>> shift);
      }
    }

    void i64(long v) {
      room(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        buf[size++] = (byte) (v >>> shift);
      }
    }

    void bytes(byte[] b) {
      i32(b.length);
      raw(b);
    }

    void utf(String s) {
      int length = 0;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        length += c >= 1 && c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      }
      if (length > 0xFFFF) {
        throw new IllegalArgumentException("name too long for a compact record: " + s);
      }
      u16(length);
      room(length);
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c >= 1 && c < 0x80) {
          buf[size++] = (byte) c;
        } else if (c < 0x800) {
          buf[size++] = (byte) (0xC0 | (c >> 6));
          buf[size++] = (byte) (0x80 | (c & 0x3F));
        } else {
          buf[size++] = (byte) (0xE0 | (c >> 12));
          buf[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          buf[size++] = (byte) (0x80 | (c & 0x3F));
        }
      }
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, size);
    }
  }
}
