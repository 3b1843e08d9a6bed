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
    assertThat(bytes).as("what logs written by earlier releases hold")
        .isEqualTo(dataOutputStreamForm(deltas));
    assertThatThrownBy(() -> BinaryDeltas.decode(bytes, 0, bytes.length - 1, sdb.schema()))
        .isInstanceOf(java.io.IOException.class);
  }

  /** The compact form as the first release wrote it, through a DataOutputStream. */
  private static byte[] dataOutputStreamForm(List<Delta> deltas) throws java.io.IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
    List<dev.sdb.schema.ModelSchema> models = deltas.stream().map(Delta::model).distinct()
        .toList();
    out.writeShort(models.size());
    for (dev.sdb.schema.ModelSchema m : models) {
      out.writeUTF(m.name());
      out.writeShort(m.columns().size());
      for (dev.sdb.schema.Column c : m.columns()) {
        out.writeUTF(c.name());
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
