package dev.sdb.examples.w1;

import dev.sdb.schema.ColumnType;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;

/**
 * W1's three models, declared with {@link ModelSchema#builder} so that Account can be a memory
 * model (the main run) or a normal model with a bounded cache (the second run):
 *
 * <ul>
 *   <li>Account (address PK varchar(50), username unique nullable, gny big integer default 0,
 *       isDelegate int default 0);
 *   <li>Transfer (tid PK, senderId idx, recipientId idx, recipientName, currency idx, amount big
 *       integer, timestamp idx, height idx);
 *   <li>Transaction (id PK, type, timestamp, senderId, senderPublicKey, fee, args JSON, message,
 *       signatures JSON, height).
 * </ul>
 *
 * <p>They have the same columns as the core tests' annotated records; Transfer and Transaction are
 * normal models with the default cache bound ({@link ModelSchema#DEFAULT_MAX_CACHED}).
 */
public final class W1Models {
  public static final String ACCOUNT = "Account";
  public static final String TRANSFER = "Transfer";
  public static final String TRANSACTION = "Transaction";

  private W1Models() {}

  /** Account as a memory model: every account in memory, loaded at start-up. */
  public static ModelSchema memoryAccount() {
    return accountColumns(ModelSchema.builder(ACCOUNT).memory());
  }

  /** Account as a normal model whose cache holds at most {@code maxCached} clean accounts. */
  public static ModelSchema normalAccount(int maxCached) {
    return accountColumns(ModelSchema.builder(ACCOUNT).maxCached(maxCached));
  }

  private static ModelSchema accountColumns(ModelSchema.Builder b) {
    return b
        .string("address", 50)
        .string("username", 20).nullable().unique()
        .column("gny", ColumnType.BIG_INTEGER).defaultValue(0)
        .column("isDelegate", ColumnType.INT).defaultValue(0)
        .primaryKey("address")
        .build();
  }

  public static ModelSchema transfer() {
    return ModelSchema.builder(TRANSFER)
        .string("tid", 64)
        .string("senderId", 50).indexed()
        .string("recipientId", 50).indexed()
        .string("recipientName", 20).nullable()
        .string("currency", 30).indexed()
        .column("amount", ColumnType.BIG_INTEGER)
        .column("timestamp", ColumnType.LONG).indexed()
        .column("height", ColumnType.LONG).indexed()
        .primaryKey("tid")
        .build();
  }

  public static ModelSchema transaction() {
    return ModelSchema.builder(TRANSACTION)
        .string("id", 64)
        .column("type", ColumnType.INT)
        .column("timestamp", ColumnType.LONG)
        .string("senderId", 50)
        .string("senderPublicKey", 64)
        .column("fee", ColumnType.BIG_INTEGER)
        .column("args", ColumnType.JSON).nullable()
        .string("message", 256).nullable()
        .column("signatures", ColumnType.JSON).nullable()
        .column("height", ColumnType.LONG)
        .primaryKey("id")
        .build();
  }

  /** The main run's schema: Account in memory. */
  public static Schema schema() {
    return schema(memoryAccount());
  }

  /** The schema with the given Account model ({@link #memoryAccount} or {@link #normalAccount}). */
  public static Schema schema(ModelSchema account) {
    if (!account.name().equals(ACCOUNT)) {
      throw new IllegalArgumentException("expected the Account model, got " + account.name());
    }
    return Schema.builder().model(account).model(transfer()).model(transaction()).build();
  }
}
