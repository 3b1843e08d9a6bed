package dev.sdb;

import dev.sdb.schema.Column;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A compact binary form of a block's deltas, for the write-ahead log, where it is written on the
 * writer's thread before {@code commitBlock} returns: several times smaller and faster than the
 * JSON format. A record starts with a dictionary of the models and column names it uses, so that
 * it reads back correctly even after a release added columns (deltas then refer to columns by
 * their position in that dictionary, not in the current schema).
 */
final class BinaryDeltas {
  private static final byte NULL = 0;
  private static final byte PRESENT = 1;

  private BinaryDeltas() {}

  static void write(List<Delta> deltas, DataOutputStream out) throws IOException {
    Map<ModelSchema, Integer> models = new HashMap<>();
    List<ModelSchema> order = new ArrayList<>();
    for (Delta d : deltas) {
      if (models.putIfAbsent(d.model(), order.size()) == null) {
        order.add(d.model());
      }
    }
    out.writeShort(order.size());
    for (ModelSchema m : order) {
      out.writeUTF(m.name());
      out.writeShort(m.columns().size());
      for (Column c : m.columns()) {
        out.writeUTF(c.name());
      }
    }
    out.writeInt(deltas.size());
    for (Delta d : deltas) {
      out.writeByte(d.type().code());
      out.writeShort(models.get(d.model()));
      out.writeLong(d.dbVersion());
      List<Object> key = ModelSchema.keyValues(d.key(), d.model().primaryKey().size());
      for (int i = 0; i < key.size(); i++) {
        writeValue(out, d.model().primaryKey().get(i), key.get(i));
      }
      out.writeShort(d.changeCount());
      for (int i = 0; i < d.changeCount(); i++) {
        Column c = d.changedColumn(i);
        out.writeShort(c.index());
        if (d.type() != DeltaType.NEW) {
          writeValue(out, c, d.original(i));
        }
        if (d.type() != DeltaType.DELETE) {
          writeValue(out, c, d.current(i));
        }
      }
    }
  }

  static List<Delta> read(DataInputStream in, Schema schema) throws IOException {
    int modelCount = in.readUnsignedShort();
    List<ModelSchema> models = new ArrayList<>(modelCount);
    List<Column[]> columns = new ArrayList<>(modelCount);
    for (int i = 0; i < modelCount; i++) {
      String name = in.readUTF();
      ModelSchema m = schema.model(name);
      if (m == null) {
        throw new IOException("logged delta names unknown model '" + name + "'");
      }
      Column[] cols = new Column[in.readUnsignedShort()];
      for (int c = 0; c < cols.length; c++) {
        String col = in.readUTF();
        cols[c] = m.column(col);
        if (cols[c] == null) {
          throw new IOException("logged delta names unknown property " + name + "." + col);
        }
      }
      models.add(m);
      columns.add(cols);
    }
    int count = in.readInt();
    List<Delta> deltas = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      DeltaType type = DeltaType.ofCode(in.readByte());
      int mi = in.readUnsignedShort();
      ModelSchema m = models.get(mi);
      long version = in.readLong();
      Object[] keyRow = new Object[m.columns().size()];
      for (Column k : m.primaryKey()) {
        keyRow[k.index()] = readValue(in, k);
      }
      int changes = in.readUnsignedShort();
      List<PropertyChange> list = new ArrayList<>(changes);
      for (int c = 0; c < changes; c++) {
        Column col = columns.get(mi)[in.readUnsignedShort()];
        Object original = type != DeltaType.NEW ? readValue(in, col) : null;
        Object current = type != DeltaType.DELETE ? readValue(in, col) : null;
        list.add(new PropertyChange(col, original, current));
      }
      deltas.add(new Delta(type, m, m.keyOf(keyRow), version, list));
    }
    return deltas;
  }

  private static void writeValue(DataOutputStream out, Column c, @Nullable Object v)
      throws IOException {
    if (v == null) {
      out.writeByte(NULL);
      return;
    }
    out.writeByte(PRESENT);
    switch (c.type()) {
      case STRING, JSON -> writeString(out, (String) v);
      case INT -> out.writeInt((Integer) v);
      case LONG -> out.writeLong((Long) v);
      case BIG_INTEGER -> writeBytes(out, ((BigInteger) v).toByteArray());
      case BOOLEAN -> out.writeBoolean((Boolean) v);
      case BYTES -> writeBytes(out, (byte[]) v);
    }
  }

  private static @Nullable Object readValue(DataInputStream in, Column c) throws IOException {
    if (in.readByte() == NULL) {
      return null;
    }
    return switch (c.type()) {
      case STRING, JSON -> new String(readBytes(in), StandardCharsets.UTF_8);
      case INT -> in.readInt();
      case LONG -> in.readLong();
      case BIG_INTEGER -> new BigInteger(readBytes(in));
      case BOOLEAN -> in.readBoolean();
      case BYTES -> readBytes(in);
    };
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > (1 << 30)) {
      throw new IOException("bad length " + n + " in a logged delta");
    }
    return in.readNBytes(n);
  }

  /** For tests: encode and decode through a byte array. */
  static byte[] encode(List<Delta> deltas) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    write(deltas, new DataOutputStream(bytes));
    return bytes.toByteArray();
  }
}
