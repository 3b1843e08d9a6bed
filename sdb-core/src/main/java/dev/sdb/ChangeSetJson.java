package dev.sdb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sdb.schema.Column;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The public JSON format of deltas, written and read with Jackson's streaming API.
 *
 * <pre>{"type":2,"model":"Account","primaryKey":{"address":"G1"},"dbVersion":5,
 *  "propertyChanges":[{"name":"gny","current":"70","original":"40"},
 *                     {"name":"_version_","current":5,"original":4}]}</pre>
 *
 * Big integers are decimal strings, byte arrays base64 strings, JSON columns their JSON text as a
 * string; other values their natural JSON type. NEW deltas carry only {@code current}, DELETE
 * deltas only {@code original}.
 */
public final class ChangeSetJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ChangeSetJson() {}

  public static String deltaToJson(Delta delta) {
    return write(g -> writeDelta(g, delta));
  }

  public static String deltasToJson(List<Delta> deltas) {
    return write(g -> writeArray(g, deltas));
  }

  /** Writes the JSON array of deltas as UTF-8 to {@code out} (which is not closed). */
  public static void writeDeltas(List<Delta> deltas, java.io.OutputStream out) throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
      writeArray(g, deltas);
    }
  }

  /**
   * Reads a JSON array of deltas back, resolving models and columns against the schema.
   *
   * @throws IllegalArgumentException if the JSON is malformed or names unknown models or columns
   */
  public static List<Delta> deltasFromJson(String json, Schema schema) {
    try (JsonParser p = FACTORY.createParser(json)) {
      return readDeltas(p, schema);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed delta JSON: " + e.getMessage(), e);
    }
  }

  /** Reads a UTF-8 JSON array of deltas from a stream. */
  public static List<Delta> readDeltas(java.io.InputStream in, Schema schema) {
    try (JsonParser p = FACTORY.createParser(in)) {
      return readDeltas(p, schema);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed delta JSON: " + e.getMessage(), e);
    }
  }

  private static List<Delta> readDeltas(JsonParser p, Schema schema) throws IOException {
    expect(p.nextToken(), JsonToken.START_ARRAY, p);
    List<Delta> deltas = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      deltas.add(readDelta(p, schema));
    }
    return deltas;
  }

  private interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  private static String write(Writer w) {
    TextBuffer out = new TextBuffer();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      w.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** A Writer over an unsynchronised StringBuilder (StringWriter locks on every write). */
  private static final class TextBuffer extends java.io.Writer {
    private final StringBuilder sb = new StringBuilder(1024);

    @Override
    public void write(char[] chars, int off, int len) {
      sb.append(chars, off, len);
    }

    @Override
    public void write(String str, int off, int len) {
      sb.append(str, off, off + len);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return sb.toString();
    }
  }

  private static void writeArray(JsonGenerator g, List<Delta> deltas) throws IOException {
    g.writeStartArray();
    for (Delta d : deltas) {
      writeDelta(g, d);
    }
    g.writeEndArray();
  }

  private static void writeDelta(JsonGenerator g, Delta d) throws IOException {
    g.writeStartObject();
    g.writeNumberField("type", d.type().code());
    g.writeStringField("model", d.model().name());
    g.writeObjectFieldStart("primaryKey");
    for (Map.Entry<String, Object> e : d.primaryKey().entrySet()) {
      g.writeFieldName(e.getKey());
      writeValue(g, d.model().column(e.getKey()), e.getValue());
    }
    g.writeEndObject();
    g.writeNumberField("dbVersion", d.dbVersion());
    g.writeArrayFieldStart("propertyChanges");
    for (int i = 0; i < d.changeCount(); i++) {
      Column c = d.changedColumn(i);
      g.writeStartObject();
      g.writeStringField("name", c.name());
      if (d.type() != DeltaType.DELETE) {
        g.writeFieldName("current");
        writeValue(g, c, d.currentValue(i));
      }
      if (d.type() != DeltaType.NEW) {
        g.writeFieldName("original");
        writeValue(g, c, d.originalValue(i));
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, @Nullable Column c, @Nullable Object v)
      throws IOException {
    if (v == null) {
      g.writeNull();
      return;
    }
    switch (c.type()) {
      case STRING, JSON -> g.writeString((String) v);
      case INT -> g.writeNumber((Integer) v);
      case LONG -> g.writeNumber((Long) v);
      case BIG_INTEGER -> {
        BigInteger b = (BigInteger) v;
        g.writeString(b.bitLength() < 64 ? Long.toString(b.longValue()) : b.toString());
      }
      case BOOLEAN -> g.writeBoolean((Boolean) v);
      case BYTES -> g.writeBinary((byte[]) v);
    }
  }

  private static Delta readDelta(JsonParser p, Schema schema) throws IOException {
    expect(p.currentToken(), JsonToken.START_OBJECT, p);
    Integer type = null;
    ModelSchema model = null;
    Map<String, Object> rawKey = null;
    long dbVersion = -1;
    List<Map<String, Object>> rawChanges = null;
    while (p.nextToken() != JsonToken.END_OBJECT) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "type" -> type = p.getIntValue();
        case "model" -> {
          model = schema.model(p.getText());
          if (model == null) {
            throw new IllegalArgumentException("delta names unknown model '" + p.getText() + "'");
          }
        }
        case "primaryKey" -> rawKey = readRawObject(p);
        case "dbVersion" -> dbVersion = p.getLongValue();
        case "propertyChanges" -> {
          expect(p.currentToken(), JsonToken.START_ARRAY, p);
          rawChanges = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            rawChanges.add(readRawObject(p));
          }
        }
        default -> p.skipChildren();
      }
    }
    if (type == null || model == null || rawKey == null || rawChanges == null || dbVersion < 0) {
      throw new IllegalArgumentException("delta lacks type, model, primaryKey, dbVersion or "
          + "propertyChanges");
    }
    DeltaType deltaType = DeltaType.ofCode(type);
    Object[] keyRow = new Object[model.columns().size()];
    for (Column k : model.primaryKey()) {
      keyRow[k.index()] = readValue(k, rawKey.get(k.name()));
    }
    List<PropertyChange> changes = new ArrayList<>();
    for (Map<String, Object> raw : rawChanges) {
      String name = (String) raw.get("name");
      Column c = name == null ? null : model.column(name);
      if (c == null) {
        throw new IllegalArgumentException(model.name() + ": delta names unknown property '"
            + name + "'");
      }
      changes.add(new PropertyChange(c, readValue(c, raw.get("original")),
          readValue(c, raw.get("current"))));
    }
    return new Delta(deltaType, model, model.keyOf(keyRow), dbVersion, changes);
  }

  /** Reads a flat JSON object; values stay as Jackson read them (String, Number, Boolean, null). */
  private static Map<String, Object> readRawObject(JsonParser p) throws IOException {
    expect(p.currentToken(), JsonToken.START_OBJECT, p);
    Map<String, Object> map = new LinkedHashMap<>();
    while (p.nextToken() != JsonToken.END_OBJECT) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      Object v = switch (t) {
        case VALUE_STRING -> p.getText();
        case VALUE_NUMBER_INT -> p.getNumberValue();
        case VALUE_TRUE -> Boolean.TRUE;
        case VALUE_FALSE -> Boolean.FALSE;
        case VALUE_NULL -> null;
        default -> throw new IllegalArgumentException("unexpected " + t + " in delta field '"
            + name + "'");
      };
      map.put(name, v);
    }
    return map;
  }

  private static @Nullable Object readValue(Column c, @Nullable Object raw) {
    if (raw == null) {
      return null;
    }
    return switch (c.type()) {
      case BYTES -> java.util.Base64.getDecoder().decode((String) raw);
      case BIG_INTEGER -> new BigInteger(raw.toString());
      case INT -> ((Number) raw).intValue();
      case LONG -> ((Number) raw).longValue();
      case STRING, JSON, BOOLEAN -> raw;
    };
  }

  private static void expect(@Nullable JsonToken actual, JsonToken expected, JsonParser p) {
    if (actual != expected) {
      throw new IllegalArgumentException("malformed delta JSON: expected " + expected + " but found "
          + actual + " at " + p.currentLocation());
    }
  }

}
