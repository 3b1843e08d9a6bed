package dev.sdb;

import dev.sdb.schema.ColumnType;
import dev.sdb.schema.Id;
import dev.sdb.schema.Indexed;
import dev.sdb.schema.Model;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Property;
import dev.sdb.schema.Schema;
import dev.sdb.schema.Unique;
import dev.sdb.store.StateStore;
import java.math.BigInteger;

/** The models the core's tests share: W1's three plus a composite key and a normal unique key. */
public final class TestModels {
  private TestModels() {}

  /** Memory model, unique nullable username, big-integer balance. */
  @Model(memory = true)
  public record Account(
      @Id @Property(maxLength = 50) String address,
      @Unique @Property(maxLength = 20, nullable = true) String username,
      @Property(defaultValue = "0") BigInteger gny,
      @Property(defaultValue = "0") int isDelegate,
      @Property(defaultValue = "0") long _version_) {}

  /** Normal model (bounded cache). */
  @Model(maxCached = 100)
  public record Transfer(
      @Id @Property(maxLength = 64) String tid,
      @Indexed @Property(maxLength = 50) String senderId,
      @Indexed @Property(maxLength = 50) String recipientId,
      @Property(maxLength = 20, nullable = true) String recipientName,
      @Indexed @Property(maxLength = 30) String currency,
      BigInteger amount,
      @Indexed long timestamp,
      @Indexed long height) {}

  /** Normal model with JSON columns. */
  @Model
  public record Transaction(
      @Id @Property(maxLength = 64) String id,
      int type,
      long timestamp,
      @Property(maxLength = 50) String senderId,
      @Property(maxLength = 64) String senderPublicKey,
      BigInteger fee,
      @Property(json = true, nullable = true) String args,
      @Property(maxLength = 256, nullable = true) String message,
      @Property(json = true, nullable = true) String signatures,
      long height) {}

  /** Memory model with a composite primary key. */
  public static final ModelSchema BALANCE = ModelSchema.builder("Balance").memory()
      .string("address", 50)
      .string("currency", 30)
      .column("balance", ColumnType.BIG_INTEGER).defaultValue(0)
      .column("flag", ColumnType.BOOLEAN).defaultValue(false)
      .primaryKey("address", "currency")
      .build();

  /** Normal model with a tiny cache, two unique keys (one composite) and bytes. */
  public static final ModelSchema DELEGATE = ModelSchema.builder("Delegate").maxCached(2)
      .string("address", 50)
      .string("username", 20).unique()
      .string("publicKey", 64).nullable()
      .string("region", 10).nullable()
      .column("rank", ColumnType.INT).nullable()
      .column("votes", ColumnType.LONG).defaultValue(0L)
      .column("avatar", ColumnType.BYTES).nullable()
      .primaryKey("address")
      .uniqueKey("region", "rank")
      .build();

  public static Schema schema() {
    return Schema.builder()
        .model(Account.class)
        .model(Transfer.class)
        .model(Transaction.class)
        .model(BALANCE)
        .model(DELEGATE)
        .build();
  }

  /** An engine with manual flushes; a durable store gets a write-ahead log in a new directory. */
  public static Sdb open(StateStore store) {
    return builder(store, schema()).manualFlush().open();
  }

  /** A builder for this store and schema; a durable store gets a log in a new directory. */
  public static SdbBuilder builder(StateStore store, Schema schema) {
    SdbBuilder b = Sdb.builder().schema(schema).store(store);
    if (store.isDurable()) {
      b.wal(tempDirectory());
    }
    return b;
  }

  /** An in-memory engine with manual flushes that adds every committed change set to {@code into}. */
  public static Sdb recordingBlocks(java.util.List<ChangeSet> into) {
    return Sdb.builder().schema(schema()).store(new dev.sdb.store.MemoryStateStore()).manualFlush()
        .listener(new SdbListener() {
          @Override
          public void blockCommitted(ChangeSet set) {
            into.add(set);
          }
        }).open();
  }

  public static java.nio.file.Path tempDirectory() {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sdb-wal");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static BlockHeader block(long height) {
    return new BlockHeader(height, "block-" + height, height == 0 ? null : "block-" + (height - 1),
        height * 10);
  }
}
