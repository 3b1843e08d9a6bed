package dev.sdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sdb.schema.Column;
import dev.sdb.schema.ColumnType;
import dev.sdb.schema.Id;
import dev.sdb.schema.Model;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Property;
import dev.sdb.schema.Schema;
import dev.sdb.schema.SchemaException;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SchemaTest {

  @Test
  void annotationsAndBuilder_sameDeclaration_produceEqualSchemas() {
    ModelSchema built = ModelSchema.builder("Account").memory()
        .string("address", 50)
        .string("username", 20).nullable().unique()
        .column("gny", ColumnType.BIG_INTEGER).defaultValue(BigInteger.ZERO)
        .column("isDelegate", ColumnType.INT).defaultValue(0)
        .primaryKey("address")
        .build();

    assertThat(ModelSchema.of(TestModels.Account.class)).isEqualTo(built);
  }

  @Test
  void builder_composite_keysUniqueAndIndexes() {
    ModelSchema m = TestModels.DELEGATE;
    assertThat(m.table()).isEqualTo("delegate");
    assertThat(m.isMemory()).isFalse();
    assertThat(m.maxCached()).isEqualTo(2);
    assertThat(m.primaryKey()).extracting(Column::name).containsExactly("address");
    assertThat(m.uniqueKeys()).extracting(u -> u.columns().stream().map(Column::name).toList())
        .containsExactly(java.util.List.of("username"), java.util.List.of("region", "rank"));
    assertThat(m.columns().get(m.columns().size() - 1).name()).isEqualTo(Column.VERSION);
    assertThat(TestModels.BALANCE.hasCompositeKey()).isTrue();
  }

  @Test
  void annotations_indexesAndTableName() {
    ModelSchema transfer = ModelSchema.of(TestModels.Transfer.class);
    assertThat(transfer.indexes()).extracting(i -> i.columns().get(0).name())
        .containsExactly("senderId", "recipientId", "currency", "timestamp", "height");
    assertThat(transfer.maxCached()).isEqualTo(100);
    assertThat(ModelSchema.of(TestModels.Transaction.class).column("args").type())
        .isEqualTo(ColumnType.JSON);
    assertThat(ModelSchema.builder("BlockHistory").string("id", 10).primaryKey("id").build().table())
        .isEqualTo("block_history");
  }

  @Test
  void builder_badDeclarations_areRejectedWithModelAndColumn() {
    assertThatThrownBy(() -> ModelSchema.builder("A").string("a", 5).build())
        .isInstanceOf(SchemaException.class).hasMessageContaining("A: no primary key");
    assertThatThrownBy(() -> ModelSchema.builder("A").string("a", 5).primaryKey("b").build())
        .isInstanceOf(SchemaException.class).hasMessageContaining("unknown column 'b'");
    assertThatThrownBy(() -> ModelSchema.builder("A").string("a", 5).nullable().primaryKey("a")
        .build()).isInstanceOf(SchemaException.class).hasMessageContaining("A.a");
    assertThatThrownBy(() -> ModelSchema.builder("A").column("b", ColumnType.BYTES)
        .primaryKey("b").build()).isInstanceOf(SchemaException.class)
        .hasMessageContaining("A.b: a BYTES column cannot be part of a primary key");
    assertThatThrownBy(() -> ModelSchema.builder("A").string("a", 5)
        .column("n", ColumnType.INT).defaultValue("x").primaryKey("a").build())
        .isInstanceOf(SchemaException.class).hasMessageContaining("A.n: bad default");
    assertThatThrownBy(() -> ModelSchema.builder("bad name"))
        .isInstanceOf(SchemaException.class);
    assertThatThrownBy(() -> ModelSchema.builder("A").string("_version_", 5))
        .isInstanceOf(SchemaException.class);
    assertThatThrownBy(() -> ModelSchema.builder("A").memory().maxCached(5).string("a", 5)
        .primaryKey("a").build()).isInstanceOf(SchemaException.class)
        .hasMessageContaining("maxCached applies to normal models only");
    assertThatThrownBy(() -> ModelSchema.builder("A").maxCached(5).maxCached(6))
        .isInstanceOf(IllegalStateException.class).hasMessage("maxCached was already set to 5");
  }

  @Test
  void schema_tablesThatADatabaseWouldConfuse_areRejectedAndTheBuilderKeepsWhatItHad() {
    Schema.Builder b = Schema.builder().model(keyed("Vote", "Vote"));

    assertThatThrownBy(() -> b.model(keyed("Ballot", "vote")))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining(
            "models 'Vote' and 'Ballot' map to the same table ('Vote' and 'vote'");
    assertThatThrownBy(() -> b.model(keyed("Block", "SDB_block")))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("model 'Block': table names beginning with 'sdb_' belong to SDB");
    assertThatThrownBy(() -> b.model(keyed("SdbChangeSet", null))) // table sdb_change_set
        .isInstanceOf(SchemaException.class).hasMessageContaining("'sdb_change_set'");

    // the refused models were not half added: their names are still free, the schema as before
    Schema schema = b.model(keyed("Ballot", "ballot")).model(keyed("Block", "chain_block")).build();
    assertThat(schema.models()).extracting(ModelSchema::name).containsExactly("Vote", "Ballot",
        "Block");
  }

  @Test
  void builder_columnsThatDifferOnlyInCase_areRejected() {
    assertThatThrownBy(() -> ModelSchema.builder("A").string("id", 5).string("Id", 5))
        .isInstanceOf(SchemaException.class)
        .hasMessage("A: column 'Id' declared twice (as 'id'; databases compare column names "
            + "without regard to case)");
  }

  private static ModelSchema keyed(String name, String table) {
    ModelSchema.Builder b = ModelSchema.builder(name).string("id", 10).primaryKey("id");
    return (table == null ? b : b.table(table)).build();
  }

  @Model
  record NoId(String a) {}

  @Model
  record BadType(@Id String a, Double d) {}

  @Model
  record BadDefault(@Id String a, @Property(defaultValue = "yes") boolean flag) {}

  @Test
  void annotations_badDeclarations_areRejected() {
    assertThatThrownBy(() -> ModelSchema.of(NoId.class)).isInstanceOf(SchemaException.class)
        .hasMessageContaining("NoId: no column is annotated with @Id");
    assertThatThrownBy(() -> ModelSchema.of(BadType.class)).isInstanceOf(SchemaException.class)
        .hasMessageContaining("BadType.d: unsupported Java type java.lang.Double");
    assertThatThrownBy(() -> ModelSchema.of(BadDefault.class)).isInstanceOf(SchemaException.class)
        .hasMessageContaining("BadDefault.flag: bad default 'yes'");
    assertThatThrownBy(() -> ModelSchema.of(String.class)).isInstanceOf(SchemaException.class)
        .hasMessageContaining("not annotated with @Model");
  }
}
