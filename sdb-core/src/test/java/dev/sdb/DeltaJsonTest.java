package dev.sdb;

import static dev.sdb.TestModels.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.store.MemoryStateStore;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeltaJsonTest {

  @Test
  void blockDeltas_matchTheSeedFormat_byteForByte() {
    Sdb sdb = TestModels.open(new MemoryStateStore());
    sdb.beginBlock(block(0));
    sdb.create("Account", Map.of("address", "G4GDW", "gny", new BigInteger("40000000000000000")));
    sdb.increase("Account", Map.of("gny", -10000000), Map.of("address", "G4GDW"));
    sdb.update("Account", Map.of("username", "liangpeili"), Map.of("address", "G4GDW"));
    sdb.create("Delegate", Map.of("address", "D1", "username", "d1", "avatar", new byte[] {1, 2}));
    sdb.del("Delegate", Map.of("address", "D1"));
    sdb.create("Balance", Map.of("currency", "GNY", "address", "G4GDW", "flag", true));

    String json = ChangeSetJson.deltasToJson(sdb.currentDeltasForTest());

    assertThat(json).isEqualTo("["
        + "{\"type\":1,\"model\":\"Account\",\"primaryKey\":{\"address\":\"G4GDW\"},\"dbVersion\":1,"
        + "\"propertyChanges\":[{\"name\":\"address\",\"current\":\"G4GDW\"},"
        + "{\"name\":\"username\",\"current\":null},"
        + "{\"name\":\"gny\",\"current\":\"40000000000000000\"},"
        + "{\"name\":\"isDelegate\",\"current\":0},{\"name\":\"_version_\",\"current\":1}]},"
        + "{\"type\":2,\"model\":\"Account\",\"primaryKey\":{\"address\":\"G4GDW\"},\"dbVersion\":2,"
        + "\"propertyChanges\":[{\"name\":\"gny\",\"current\":\"39999999990000000\","
        + "\"original\":\"40000000000000000\"},{\"name\":\"_version_\",\"current\":2,\"original\":1}]},"
        + "{\"type\":2,\"model\":\"Account\",\"primaryKey\":{\"address\":\"G4GDW\"},\"dbVersion\":3,"
        + "\"propertyChanges\":[{\"name\":\"username\",\"current\":\"liangpeili\",\"original\":null},"
        + "{\"name\":\"_version_\",\"current\":3,\"original\":2}]},"
        + "{\"type\":1,\"model\":\"Delegate\",\"primaryKey\":{\"address\":\"D1\"},\"dbVersion\":1,"
        + "\"propertyChanges\":[{\"name\":\"address\",\"current\":\"D1\"},"
        + "{\"name\":\"username\",\"current\":\"d1\"},{\"name\":\"publicKey\",\"current\":null},"
        + "{\"name\":\"region\",\"current\":null},{\"name\":\"rank\",\"current\":null},"
        + "{\"name\":\"votes\",\"current\":0},{\"name\":\"avatar\",\"current\":\"AQI=\"},"
        + "{\"name\":\"_version_\",\"current\":1}]},"
        + "{\"type\":3,\"model\":\"Delegate\",\"primaryKey\":{\"address\":\"D1\"},\"dbVersion\":1,"
        + "\"propertyChanges\":[{\"name\":\"address\",\"original\":\"D1\"},"
        + "{\"name\":\"username\",\"original\":\"d1\"},{\"name\":\"publicKey\",\"original\":null},"
        + "{\"name\":\"region\",\"original\":null},{\"name\":\"rank\",\"original\":null},"
        + "{\"name\":\"votes\",\"original\":0},{\"name\":\"avatar\",\"original\":\"AQI=\"},"
        + "{\"name\":\"_version_\",\"original\":1}]},"
        + "{\"type\":1,\"model\":\"Balance\",\"primaryKey\":{\"address\":\"G4GDW\",\"currency\":\"GNY\"},"
        + "\"dbVersion\":1,\"propertyChanges\":[{\"name\":\"address\",\"current\":\"G4GDW\"},"
        + "{\"name\":\"currency\",\"current\":\"GNY\"},{\"name\":\"balance\",\"current\":\"0\"},"
        + "{\"name\":\"flag\",\"current\":true},{\"name\":\"_version_\",\"current\":1}]}"
        + "]");
  }

  @Test
  void deltas_roundTripThroughJson() {
    Sdb sdb = TestModels.open(new MemoryStateStore());
    sdb.beginBlock(block(0));
    sdb.create("Account", Map.of("address", "G1", "gny", 5, "username", "u"));
    sdb.create("Transaction", Map.of("id", "t", "type", 0, "timestamp", 1, "senderId", "G1",
        "senderPublicKey", "pk", "fee", 1, "args", List.of(1, "G2"), "height", 0));
    sdb.create("Delegate", Map.of("address", "D1", "username", "d1", "avatar", new byte[] {7}));
    sdb.increase("Delegate", Map.of("votes", 3), Map.of("address", "D1"));
    sdb.del("Account", Map.of("address", "G1"));
    List<Delta> deltas = List.copyOf(sdb.currentDeltasForTest());

    List<Delta> back = ChangeSetJson.deltasFromJson(ChangeSetJson.deltasToJson(deltas),
        sdb.schema());

    assertThat(back).isEqualTo(deltas);
    assertThat(back.get(1).propertyChanges().stream().filter(c -> c.name().equals("args"))
        .findFirst().orElseThrow().current()).isEqualTo("[1,\"G2\"]");
  }

  @Test
  void deltas_roundTripThroughTheLogsBinaryForm() throws Exception {
    Sdb sdb = TestModels.open(new MemoryStateStore());
    sdb.beginBlock(block(0));
    sdb.create("Account", Map.of("address", "G1", "gny", new BigInteger("-123456789012345678901"),
        "username", "ü"));
    sdb.create("Delegate", Map.of("address", "D1", "username", "d1", "avatar", new byte[] {7}));
    sdb.update("Delegate", Map.of("rank", 3, "region", "eu"), Map.of("address", "D1"));
    sdb.create("Balance", Map.of("address", "G1", "currency", "C", "flag", true));
    sdb.del("Account", Map.of("address", "G1"));
    List<Delta> deltas = List.copyOf(sdb.currentDeltasForTest());

    byte[] bytes = BinaryDeltas.encode(deltas);
    List<Delta> back = BinaryDeltas.decode(bytes, 0, bytes.length, sdb.schema());

    assertThat(back).isEqualTo(deltas);
    assertThat(bytes.length).isLessThan(ChangeSetJson.deltasToJson(deltas).length());
    assertThat(bytes).as("the documented layout").isEqualTo(dataOutputStreamForm(deltas, true));
    byte[] untyped = dataOutputStreamForm(deltas, false);
    assertThat(BinaryDeltas.decode(untyped, 0, untyped.length, sdb.schema()))
        .as("what logs and histories of earlier releases hold").isEqualTo(deltas);
    assertThatThrownBy(() -> BinaryDeltas.decode(bytes, 0, bytes.length - 1, sdb.schema()))
        .isInstanceOf(java.io.IOException.class);
  }

  private static final dev.sdb.schema.ModelSchema NOTE_V1 = dev.sdb.schema.ModelSchema
      .builder("Note").string("id", 5).primaryKey("id").string("text", 20).nullable()
      .column("stars", dev.sdb.schema.ColumnType.INT).defaultValue(0).build();
  /** The next release: {@code text} removed, {@code tags} added. */
  private static final dev.sdb.schema.ModelSchema NOTE_V2 = dev.sdb.schema.ModelSchema
      .builder("Note").string("id", 5).primaryKey("id")
      .column("stars", dev.sdb.schema.ColumnType.INT).defaultValue(0)
      .string("tags", 20).defaultValue("").build();

  /**
   * A rollback below a release that removed a column reads deltas naming it: their changes of
   * that column are left out (the table keeps its values; SDB no longer writes it), the rest
   * decode as the new schema's deltas.
   */
  @Test
  void compactDeltas_ofAColumnTheSchemaNoLongerDeclares_decodeWithoutIt() throws Exception {
    Sdb v1 = Sdb.builder().schema(dev.sdb.schema.Schema.builder().model(NOTE_V1).build())
        .store(new MemoryStateStore()).manualFlush().open();
    v1.beginBlock(block(0));
    v1.create("Note", Map.of("id", "a", "text", "hello", "stars", 1));
    v1.update("Note", Map.of("text", "bye"), Map.of("id", "a"));      // only the removed column
    v1.update("Note", Map.of("text", "x", "stars", 2), Map.of("id", "a"));
    v1.del("Note", Map.of("id", "a"));
    byte[] bytes = BinaryDeltas.encode(List.copyOf(v1.currentDeltasForTest()));
    dev.sdb.schema.Schema v2 = dev.sdb.schema.Schema.builder().model(NOTE_V2).build();

    List<Delta> back = BinaryDeltas.decode(bytes, 0, bytes.length, v2);

    assertThat(back).extracting(Delta::toJson).containsExactly(
        "{\"type\":1,\"model\":\"Note\",\"primaryKey\":{\"id\":\"a\"},\"dbVersion\":1,"
            + "\"propertyChanges\":[{\"name\":\"id\",\"current\":\"a\"},"
            + "{\"name\":\"stars\",\"current\":1},{\"name\":\"_version_\",\"current\":1},"
            + "{\"name\":\"tags\",\"current\":\"\"}]}",
        "{\"type\":2,\"model\":\"Note\",\"primaryKey\":{\"id\":\"a\"},\"dbVersion\":2,"
            + "\"propertyChanges\":[{\"name\":\"_version_\",\"current\":2,\"original\":1}]}",
        "{\"type\":2,\"model\":\"Note\",\"primaryKey\":{\"id\":\"a\"},\"dbVersion\":3,"
            + "\"propertyChanges\":[{\"name\":\"stars\",\"current\":2,\"original\":1},"
            + "{\"name\":\"_version_\",\"current\":3,\"original\":2}]}",
        "{\"type\":3,\"model\":\"Note\",\"primaryKey\":{\"id\":\"a\"},\"dbVersion\":3,"
            + "\"propertyChanges\":[{\"name\":\"id\",\"original\":\"a\"},"
            + "{\"name\":\"stars\",\"original\":2},{\"name\":\"_version_\",\"original\":3},"
            + "{\"name\":\"tags\",\"original\":\"\"}]}");

    byte[] untyped = dataOutputStreamForm(v1.currentDeltasForTest(), false);
    assertThatThrownBy(() -> BinaryDeltas.decode(untyped, 0, untyped.length, v2))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("property Note.text, which the schema no longer declares");
    v1.close();
  }

  /**
   * A column whose type a release changed in a way its table accepts (int to long, string to
   * JSON) reads back converted; a value that does not convert fails by name, and only a record
   * that holds such a value.
   */
  @Test
  void compactDeltas_ofAColumnWhoseTypeChanged_convertOrFailOnTheValue() throws Exception {
    Sdb v1 = Sdb.builder().schema(dev.sdb.schema.Schema.builder().model(NOTE_V1).build())
        .store(new MemoryStateStore()).manualFlush().open();
    v1.beginBlock(block(0));
    v1.create("Note", Map.of("id", "a", "text", "[1]", "stars", 7));
    byte[] withText = BinaryDeltas.encode(List.copyOf(v1.currentDeltasForTest()));
    v1.update("Note", Map.of("stars", 8), Map.of("id", "a"));
    List<Delta> all = v1.currentDeltasForTest();
    byte[] starsOnly = BinaryDeltas.encode(List.of(all.get(all.size() - 1)));
    v1.close();

    dev.sdb.schema.Schema wider = dev.sdb.schema.Schema.builder().model(
        dev.sdb.schema.ModelSchema.builder("Note").string("id", 5).primaryKey("id")
            .column("text", dev.sdb.schema.ColumnType.JSON).nullable()
            .column("stars", dev.sdb.schema.ColumnType.LONG).defaultValue(0).build()).build();
    Delta created = BinaryDeltas.decode(withText, 0, withText.length, wider).get(0);
    assertThat(created.toJson()).contains("{\"name\":\"text\",\"current\":\"[1]\"}",
        "{\"name\":\"stars\",\"current\":7}");
    assertThat(created.propertyChanges()).filteredOn(c -> c.name().equals("stars"))
        .singleElement().satisfies(c -> assertThat(c.current()).isEqualTo(7L));

    dev.sdb.schema.Schema textAsFlag = dev.sdb.schema.Schema.builder().model(
        dev.sdb.schema.ModelSchema.builder("Note").string("id", 5).primaryKey("id")
            .column("text", dev.sdb.schema.ColumnType.BOOLEAN).nullable()
            .column("stars", dev.sdb.schema.ColumnType.INT).defaultValue(0).build()).build();
    assertThatThrownBy(() -> BinaryDeltas.decode(withText, 0, withText.length, textAsFlag))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("logged delta has Note.text as STRING and the schema declares it "
            + "BOOLEAN; a value ([1]) does not convert");
    assertThat(BinaryDeltas.decode(starsOnly, 0, starsOnly.length, textAsFlag).get(0).toJson())
        .contains("{\"name\":\"stars\",\"current\":8,\"original\":7}");
  }

  /**
   * The compact form written through a DataOutputStream, as the first releases did: {@code
   * typed} adds the dictionary's column types and their flag, as releases since do.
   */
  private static byte[] dataOutputStreamForm(List<Delta> deltas, boolean typed)
      throws java.io.IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
    List<dev.sdb.schema.ModelSchema> models = deltas.stream().map(Delta::model).distinct()
        .toList();
    out.writeShort((typed ? 0x8000 : 0) | models.size());
    for (dev.sdb.schema.ModelSchema m : models) {
      out.writeUTF(m.name());
      out.writeShort(m.columns().size());
      for (dev.sdb.schema.Column c : m.columns()) {
        out.writeUTF(c.name());
        if (typed) {
          out.writeByte(List.of("STRING", "INT", "LONG", "BIG_INTEGER", "BOOLEAN", "BYTES", "JSON")
              .indexOf(c.type().name()));
        }
      }
    }
    out.writeInt(deltas.size());
    for (Delta d : deltas) {
      out.writeByte(d.type().code());
      out.writeShort(models.indexOf(d.model()));
      out.writeLong(d.dbVersion());
      List<Object> key = dev.sdb.schema.ModelSchema.keyValues(d.key(),
          d.model().primaryKey().size());
      for (int i = 0; i < key.size(); i++) {
        writeValue(out, d.model().primaryKey().get(i), key.get(i));
      }
      out.writeShort(d.changeCount());
      for (int i = 0; i < d.changeCount(); i++) {
        out.writeShort(d.changedColumn(i).index());
        if (d.type() != DeltaType.NEW) {
          writeValue(out, d.changedColumn(i), d.original(i));
        }
        if (d.type() != DeltaType.DELETE) {
          writeValue(out, d.changedColumn(i), d.current(i));
        }
      }
    }
    return bytes.toByteArray();
  }

  private static void writeValue(java.io.DataOutputStream out, dev.sdb.schema.Column c, Object v)
      throws java.io.IOException {
    if (v == null) {
      out.writeByte(0);
      return;
    }
    out.writeByte(1);
    byte[] b = switch (c.type()) {
      case STRING, JSON -> ((String) v).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      case BIG_INTEGER -> ((BigInteger) v).toByteArray();
      case BYTES -> (byte[]) v;
      default -> null;
    };
    switch (c.type()) {
      case INT -> out.writeInt((Integer) v);
      case LONG -> out.writeLong((Long) v);
      case BOOLEAN -> out.writeBoolean((Boolean) v);
      default -> {
        out.writeInt(b.length);
        out.write(b);
      }
    }
  }

  @Test
  void inverse_swapsSidesAndTypes() {
    Sdb sdb = TestModels.open(new MemoryStateStore());
    sdb.beginBlock(block(0));
    sdb.create("Account", Map.of("address", "G1", "gny", 5));
    sdb.increase("Account", Map.of("gny", 2), Map.of("address", "G1"));
    List<Delta> d = sdb.currentDeltasForTest();

    assertThat(d.get(0).inverse().type()).isEqualTo(DeltaType.DELETE);
    assertThat(d.get(1).inverse().toJson()).isEqualTo("{\"type\":2,\"model\":\"Account\","
        + "\"primaryKey\":{\"address\":\"G1\"},\"dbVersion\":1,\"propertyChanges\":["
        + "{\"name\":\"gny\",\"current\":\"5\",\"original\":\"7\"},"
        + "{\"name\":\"_version_\",\"current\":1,\"original\":2}]}");
    assertThat(d.get(1).inverse().inverse()).isEqualTo(d.get(1));
  }
}
